"""The assembly page's number of SQL queries does not grow with its data."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from portal.models import (
    Assembly,
    AssemblyStatus,
    ChosenBy,
    CouncilAnswer,
    Material,
    MaterialKind,
    Member,
    MinoritySigner,
    MinorityStatement,
    Phase,
    PhaseKind,
    Recommendation,
    RecommendationStatus,
)


def _grow(db, assembly: Assembly, n: int, start: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(start, start + n):
        member = Member(
            first_name=f"M{i}", last_name="X", district="Østerbro", profile={"Køn": "Kvinde"}
        )
        assembly.members.append(member)
        assembly.materials.append(
            Material(title=f"Materiale {i}", kind=MaterialKind.REPORT, chosen_by=ChosenBy.ASSEMBLY)
        )
        rec = Recommendation(
            number=i, title=f"Anbefaling {i}", text="Tekst", status=RecommendationStatus.DRAFT
        )
        rec.answer = CouncilAnswer(text="Svar")
        statement = MinorityStatement(text="Mindretal")
        statement.signers.append(MinoritySigner(member=member))
        rec.minority_statements.append(statement)
        assembly.recommendations.append(rec)
    db.commit()


def _count(app, client, url: str) -> int:  # type: ignore[no-untyped-def]
    statements: list[str] = []
    engine = app.extensions["engine"]

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_assembly_page_queries_do_not_grow(app, client, db) -> None:  # type: ignore[no-untyped-def]
    assembly = Assembly(
        slug="vokser",
        title="Vokser",
        remit="?",
        commissioned_by="x",
        operator="y",
        seats=170,
        municipality="z",
        status=AssemblyStatus.ACTIVE,
    )
    assembly.phases.append(
        Phase(
            kind=PhaseKind.PUBLIC_COMMENT, starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 31)
        )
    )
    db.add(assembly)
    _grow(db, assembly, 3, 1)
    small = _count(app, client, "/assemblies/vokser")
    _grow(db, assembly, 30, 4)
    large = _count(app, client, "/assemblies/vokser")
    assert large == small, (small, large)
    assert 3 < small <= 12


def test_tracker_queries_do_not_grow_with_the_number_of_recommendations(  # type: ignore[no-untyped-def]
    engine,
) -> None:
    from tests.conftest import make_test_app

    app, close = make_test_app(engine, PAGE_SIZE=100)
    client = app.test_client()
    try:
        with app.app_context():
            db = app.extensions["sessionmaker"]()
            assembly = Assembly(
                slug="sporet",
                title="Sporet",
                remit="?",
                commissioned_by="x",
                operator="y",
                seats=30,
                municipality="z",
                status=AssemblyStatus.CONCLUDED,
                answer_due=date(2026, 10, 1),
            )
            assembly.phases.append(
                Phase(kind=PhaseKind.FINAL, starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 30))
            )
            db.add(assembly)

            def grow(n: int, start: int) -> None:
                for i in range(start, start + n):
                    rec = Recommendation(
                        number=i,
                        title=f"Anbefaling {i}",
                        text="T",
                        status=RecommendationStatus.FINAL,
                    )
                    # Every other one answered (with progress), the rest overdue.
                    rec.answer = CouncilAnswer(text="Svar", version=i % 2, progress=10 * (i % 10))
                    assembly.recommendations.append(rec)
                db.commit()

            grow(3, 1)
            small = _count(app, client, "/recommendations?assembly=sporet")
            grow(40, 4)
            large = _count(app, client, "/recommendations?assembly=sporet")
            assert large == small, (small, large)
            assert "43 anbefalinger" in client.get("/recommendations?assembly=sporet").get_data(
                as_text=True
            )
            db.close()
    finally:
        close()
