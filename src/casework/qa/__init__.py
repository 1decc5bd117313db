"""Quality assurance: every conversation scored against the team's rubric, with evidence.

`scorers` holds one deterministic scorer per criterion kind, `scoring` applies a
rubric and stores the result per rubric version, `calibration` measures how far
the scorers agree with human reviewers, `coaching` summarises per agent.
"""
