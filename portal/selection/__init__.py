"""Maximally fair stratified sortition (LEXIMIN) with a publicly verifiable lottery.

numpy, scipy and highspy (HiGHS, ADR 0005); no Flask, no SQLAlchemy. See
`python -m portal.selection --help`.
"""

from .errors import InfeasibleError, SelectionError, SelectionInputError
from .feasibility import Feasibility, check_feasibility
from .io import load_instance, read_quotas, read_respondents
from .leximin import Distribution, find_leximin
from .model import Instance, Person, Quota

__all__ = [
    "Distribution",
    "Feasibility",
    "InfeasibleError",
    "Instance",
    "Person",
    "Quota",
    "SelectionError",
    "SelectionInputError",
    "check_feasibility",
    "find_leximin",
    "load_instance",
    "read_quotas",
    "read_respondents",
]
