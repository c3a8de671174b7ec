"""The demo's texts. Remits and facts follow public sources; recommendation texts are illustrative."""

from __future__ import annotations

ILLUSTRATIVE = (
    "Demodata: Borgersamlingen fandt sted, men teksterne her er forenklede eksempler, "
    "ikke de officielle anbefalinger."
)

MIDDELALDERBYEN = {
    "slug": "middelalderbyen-2019",
    "title": "Borgersamling om mindre biltrafik i Middelalderbyen",
    "title_en": "Citizens' assembly on less car traffic in the medieval city",
    "summary": (
        "36 tilfældigt udvalgte københavnere mødtes fem gange i 2019 og gav ni anbefalinger "
        "til Teknik- og Miljøudvalget om, hvordan der kan komme færre biler i Middelalderbyen."
    ),
    "summary_en": (
        "36 randomly selected Copenhageners met five times in 2019 and gave nine "
        "recommendations to the Technical and Environmental Committee on reducing car traffic "
        "in the medieval city centre."
    ),
    "remit": "Hvordan kan vi skabe en Middelalderby med mindre biltrafik?",
    "remit_en": "How can we create a medieval city with less car traffic?",
    "in_scope": (
        "Gennemkørsel, parkering, varelevering, adgang for beboere og handicappede, "
        "byrum og cykler i Middelalderbyen."
    ),
    "out_of_scope": (
        "Trafik uden for Middelalderbyen, billettakster i den kollektive trafik og "
        "ændringer, der kræver ny lovgivning."
    ),
    "commissioned_by": "Teknik- og Miljøudvalget, Københavns Kommune",
    "operator": "Uafhængig procesleder udpeget af kommunen",
    "seats": 36,
    "municipality": "Københavns Kommune",
    "region": "Region Hovedstaden",
    "answer_promise": (
        "Teknik- og Miljøudvalget behandler hver anbefaling på et udvalgsmøde og "
        "begrunder offentligt, hvad det gør nu, senere eller ikke."
    ),
}

MIDDELALDERBYEN_MATERIALS = [
    ("Trafiktal for Middelalderbyen", "report", "organisers", "Teknik- og Miljøforvaltningen"),
    ("Oplæg: Bilfrie bykerner i Europa", "expert_talk", "organisers", "Trafikforsker"),
    (
        "Høring: Handelsstandsforeningen og beboerne",
        "stakeholder_hearing",
        "organisers",
        "Erhvervsliv og beboerforeninger",
    ),
    ("Oplæg: Varelevering uden biler", "expert_talk", "assembly", "Logistikekspert"),
    ("Video: Sådan arbejder en borgersamling", "video", "organisers", "Københavns Kommune"),
]

# (title, text, answer status, answer text, support, can live with, cannot support)
MIDDELALDERBYEN_RECOMMENDATIONS = [
    (
        "Stop for gennemkørsel",
        "Gennemkørende biltrafik i Middelalderbyen skal stoppes, så kun "
        "ærinder i området giver adgang i bil.",
        "adopted_later",
        "Udvalget arbejder videre med en model for lukning af gennemkørsel i 2021.",
        30,
        4,
        2,
    ),
    (
        "Færre parkeringspladser på gaden",
        "Parkeringspladser på gaden nedlægges gradvist og "
        "erstattes af pladser i parkeringshuse i udkanten af Middelalderbyen.",
        "partly",
        "Et antal pladser nedlægges i forbindelse med byrumsprojekter.",
        25,
        6,
        5,
    ),
    (
        "Samlet varelevering",
        "Varelevering samles i en central terminal, hvorfra varer køres "
        "ud med el-ladcykler og små elbiler.",
        "adopted_later",
        "Forvaltningen undersøger et forsøg med samlet varelevering.",
        28,
        7,
        1,
    ),
    (
        "Adgang for borgere med handicap",
        "Borgere med handicap, hjemmepleje og håndværkere skal altid kunne komme frem i bil.",
        "adopted",
        "Gælder allerede og videreføres i alle nye løsninger.",
        36,
        0,
        0,
    ),
    (
        "Mere plads til cykler og gående",
        "Den plads, der frigøres, bruges til cykelstier, fortove og bænke.",
        "adopted",
        "Indgår i de kommende byrumsprojekter.",
        33,
        3,
        0,
    ),
    (
        "Grønne byrum",
        "Der plantes flere træer, og der laves små grønne opholdssteder på "
        "pladser, hvor der i dag holder biler.",
        "adopted_later",
        "Indgår i budgetforhandlingerne for 2021.",
        31,
        5,
        0,
    ),
    (
        "Bedre skiltning og information",
        "Trafikanter informeres tydeligt om nye regler, før de kører ind i Middelalderbyen.",
        "adopted",
        "Gennemføres sammen med nye regler.",
        34,
        2,
        0,
    ),
    (
        "Forsøg med bilfri weekender",
        "Der laves forsøg med bilfri weekender i sommerhalvåret.",
        "rejected",
        "Udvalget ønsker først at se effekten af stop for gennemkørsel.",
        19,
        9,
        8,
    ),
    (
        "Løbende inddragelse af borgerne",
        "Borgersamlingen og lokaludvalget inddrages, når anbefalingerne føres ud i livet.",
        "partly",
        "Indre By Lokaludvalg inddrages; borgersamlingen orienteres.",
        32,
        4,
        0,
    ),
]

MIDDELALDERBYEN_MINORITY = {
    2: "Et mindretal mener, at beboernes parkeringspladser skal bevares, til der er "
    "billige alternativer i nærheden.",
    8: "Et mindretal mener, at bilfri weekender bør afprøves med det samme, fordi forsøg "
    "er billige og kan stoppes igen.",
}

GROENT_BYLIV = {
    "slug": "groent-byliv-indre-oesterbro",
    "title": "Borgersamling om grønt byliv på Indre Østerbro",
    "title_en": "Citizens' assembly on green city life in Indre Østerbro",
    "summary": (
        "24 tilfældigt udvalgte beboere fra Indre Østerbro har skrevet udkast til anbefalinger "
        "om grønne byrum. Nu kan alle kommentere udkastene."
    ),
    "summary_en": (
        "24 randomly selected residents of Indre Østerbro have drafted recommendations on "
        "green public spaces. Everyone can now comment on the drafts."
    ),
    "remit": "Hvordan kan Indre Østerbro få mere grønt og bedre byliv i gaderne?",
    "remit_en": "How can Indre Østerbro get more greenery and better street life?",
    "in_scope": "Træer, plantebede, legepladser, opholdssteder, lukning af sidegader.",
    "out_of_scope": "Parker uden for bydelen og ændringer af busruter.",
    "commissioned_by": "Østerbro Lokaludvalg og Teknik- og Miljøudvalget, Københavns Kommune",
    "operator": "Uafhængig procesleder",
    "seats": 24,
    "municipality": "Københavns Kommune",
    "region": "Region Hovedstaden",
    "answer_promise": "Teknik- og Miljøudvalget svarer skriftligt på hver anbefaling.",
}

GROENT_RECOMMENDATIONS = [
    (
        "Lommeparker i sidegaderne",
        "Udvalgte sidegader lukkes for biler i den ene ende og "
        "bliver til små lommeparker med træer og bænke.\n\n"
        "Beboerne i gaden vælger sammen med forvaltningen, hvilke gader der er med i puljen, "
        "og hvordan lommeparken skal se ud.\n\n"
        "Parkeringspladser, der forsvinder, erstattes så vidt muligt i nærliggende "
        "parkeringshuse.\n\n"
        "Den første lommepark anlægges som forsøg i ét år og evalueres, før flere følger.",
    ),
    (
        "Flere træer langs de store gader",
        "Der plantes træer langs Østerbrogade og "
        "Nordre Frihavnsgade, hvor der er plads under jorden.\n\n"
        "Hvor ledninger ligger i vejen, undersøger forvaltningen, om de kan flyttes i forbindelse "
        "med andre gravearbejder.\n\n"
        "Træerne vælges, så de tåler salt og tørke og giver skygge om sommeren.",
    ),
    (
        "Gårdmiljøer åbnes for naboerne",
        "Boligforeninger får støtte til at gøre gårde grønne og åbne for naboerne om dagen.\n\n"
        "Støtten gives kun, hvis beboerne i foreningen har stemt for at åbne gården.\n\n"
        "Forvaltningen hjælper med husorden, affald og forsikring, så åbningen ikke bliver en "
        "byrde for beboerne.",
    ),
]

GROENT_MINORITY = {
    1: "Et mindretal ønsker, at beboerne i hver gade stemmer, før gaden lukkes for biler.",
}

BAEREDYGTIGT = {
    "slug": "baeredygtigt-forbrug",
    "title": "Borgersamling om bæredygtigt forbrug",
    "title_en": "Citizens' assembly on sustainable consumption",
    "summary": (
        "66 borgere fra Region Syddanmark og Region Hovedstaden skal give bud på, hvordan vi "
        "kan forbruge mere bæredygtigt."
    ),
    "summary_en": (
        "66 residents of the Region of Southern Denmark and the Capital Region will advise on "
        "how we can consume more sustainably."
    ),
    "remit": "Hvordan kan vi som borgere, virksomheder og myndigheder forbruge mere bæredygtigt?",
    "remit_en": "How can we as citizens, businesses and authorities consume more sustainably?",
    "in_scope": "Tøj, elektronik, mad, genbrug, reparation og deling.",
    "out_of_scope": "Afgifter, der kun kan ændres af Folketinget.",
    "commissioned_by": "Region Syddanmark og Region Hovedstaden",
    "operator": "Uafhængig procesleder",
    "seats": 66,
    "municipality": "Region Syddanmark og Region Hovedstaden",
    "region": "Region Syddanmark og Region Hovedstaden",
    "answer_promise": "Regionsrådene svarer på anbefalingerne senest tre måneder efter overrækkelsen.",
}

FIRST_NAMES = [
    "Anne",
    "Mette",
    "Kirsten",
    "Hanne",
    "Susanne",
    "Lene",
    "Maria",
    "Camilla",
    "Ida",
    "Emma",
    "Sofie",
    "Freja",
    "Peter",
    "Jens",
    "Lars",
    "Michael",
    "Henrik",
    "Søren",
    "Thomas",
    "Mads",
    "Frederik",
    "Mikkel",
    "Ahmed",
    "Fatima",
    "Noah",
    "William",
]
LAST_NAMES = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
]
CPH_DISTRICTS = [
    "Indre By",
    "Østerbro",
    "Nørrebro",
    "Vesterbro/Kongens Enghave",
    "Valby",
    "Vanløse",
    "Brønshøj-Husum",
    "Bispebjerg",
    "Amager Øst",
    "Amager Vest",
]
OESTERBRO_AREAS = ["Indre Østerbro", "Trianglen", "Kartoffelrækkerne", "Nordhavn"]
AGE_BANDS = ["16-29", "30-44", "45-59", "60-74", "75+"]

# The members' workspace of Grønt byliv (forum, a working group, an unpublished edit).
GROENT_GROUP = "Gruppe A: Gader og træer"
GROENT_THREADS = [
    (
        "Velkommen til arbejdsrummet",
        [
            "Her kan I drøfte anbefalingerne mellem møderne. Skriv **kort** og venligt.",
            "Tak! Jeg har læst kortlægningen af gårdene – den er nyttig.",
            "Enig. Skal vi tale om lommeparkerne på næste møde?",
        ],
        False,
        True,
    ),
    (
        "Lommeparker: hvilke gader?",
        [
            "Gruppe A samler forslag til gader, der kan blive lommeparker.",
            "Jeg foreslår at starte med de gader, hvor der allerede er træer.",
        ],
        True,
        False,
    ),
]
GROENT_REVISION = (
    "Lommeparker i sidegaderne",
    "Udvalgte sidegader lukkes for biler i den ene ende og bliver til små lommeparker "
    "med træer, bænke og plads til leg.",
    "Tilføjet plads til leg",
)

# Who runs the demo installation (admins change it at /admin/settings).
SITE = {
    "municipality": "Københavns Kommune",
    "logo_url": "",
    "contact_email": "borgersamling@kk.example.dk",
    "contact_phone": "33 66 33 66",
    "contact_url": "",
    "data_controller": "Københavns Kommune, Teknik- og Miljøforvaltningen",
    "privacy_text": (
        "Københavns Kommune, Teknik- og Miljøforvaltningen, er dataansvarlig for de oplysninger, "
        "du giver, når du melder dig til en borgersamling, og for medlemmernes oplysninger.\n\n"
        "Vi bruger oplysningerne til at trække lod, kontakte dem, der bliver trukket ud, og "
        "gennemføre borgersamlingen. Retsgrundlaget er dit samtykke "
        "(databeskyttelsesforordningens artikel 6, stk. 1, litra a, og artikel 9, stk. 2, litra a).\n\n"
        "Oplysninger om dem, der ikke bliver trukket ud, slettes, når panelet er endeligt. "
        "Svarene på lodtrækningens spørgsmål gemmes uden navn til statistik.\n\n"
        "Spørgsmål om dine oplysninger: skriv til borgersamling@kk.example.dk. "
        "Kommunens databeskyttelsesrådgiver kan også kontaktes via kommunens hovednummer."
    ),
    "privacy_text_en": (
        "The City of Copenhagen, Technical and Environmental Administration, is the data "
        "controller for what you give when you sign up for a citizens' assembly, and for the "
        "members' data.\n\n"
        "We use the data to hold the draw, to contact the people drawn and to run the assembly. "
        "The legal basis is your consent (GDPR Article 6(1)(a) and Article 9(2)(a)).\n\n"
        "The data of people not drawn is deleted when the panel is final; the answers to the "
        "draw's questions are kept without names for statistics.\n\n"
        "Questions about your data: write to borgersamling@kk.example.dk."
    ),
}
