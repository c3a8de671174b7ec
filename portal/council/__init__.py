"""The council's answers to recommendations and the follow-up the public sees.

`access` (who may answer), `handover` (due date), `answers` (drafts, versions, templates),
`implementation` (status, milestones, roll-up), `tracker` (the public list and its CSV),
`csv_import` (bulk updates), `notify` (followers' e-mails), `story` (a recommendation's timeline).
"""
