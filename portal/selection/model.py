"""Plain data: quotas, people, and the type-compressed instance the solvers work on."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Quota:
    """Inclusive bounds on how many panel members have `value` in `category`."""

    category: str
    value: str
    min: int
    max: int
    population_share: float | None = None


@dataclass(frozen=True)
class Person:
    """One respondent: id, one value per category, and an optional address key."""

    id: str
    features: dict[str, str]
    address: tuple[str, ...] | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Instance:
    """A selection problem: pool, quotas, panel size and whether the household rule applies."""

    people: tuple[Person, ...]
    quotas: tuple[Quota, ...]
    k: int
    household_rule: bool = False

    @property
    def categories(self) -> list[str]:
        """Categories in first-seen order of the quota file."""
        return list(dict.fromkeys(q.category for q in self.quotas))


@dataclass
class Compiled:
    """The instance on *types*: people with equal features and no shared address are merged.

    A panel is an integer count vector c over types (0 <= c_t <= size_t) with
    `lb <= A @ c <= ub`; row 0 of A is the panel size, then one row per quota,
    then one row per shared address (at most one person from it).
    """

    instance: Instance
    members: list[list[int]]  # person indices per type, in pool order
    sizes: IntArray
    features: IntArray  # types x quotas, 0/1
    A: sparse.csr_array
    lb: FloatArray
    ub: FloatArray
    household_groups: list[list[int]]  # type indices sharing an address

    @property
    def n_types(self) -> int:
        return len(self.members)

    def person_vector(self, type_values: FloatArray) -> FloatArray:
        """Spread a per-type value to each person of the type."""
        out = np.zeros(len(self.instance.people))
        for t, idx in enumerate(self.members):
            out[idx] = type_values[t]
        return out


def quota_matrix(instance: Instance) -> IntArray:
    """People x quotas 0/1 matrix: does person i have the quota's value."""
    col = {(q.category, q.value): j for j, q in enumerate(instance.quotas)}
    mat = np.zeros((len(instance.people), len(instance.quotas)), dtype=np.int64)
    for i, person in enumerate(instance.people):
        for cat, val in person.features.items():
            j = col.get((cat, val))
            if j is not None:
                mat[i, j] = 1
    return mat


def address_groups(instance: Instance) -> list[list[int]]:
    """Person indices of every address shared by two or more people (household rule only)."""
    if not instance.household_rule:
        return []
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, person in enumerate(instance.people):
        if person.address is not None:
            groups[person.address].append(i)
    return [g for g in groups.values() if len(g) > 1]


def compile_instance(instance: Instance, *, merge_types: bool = True) -> Compiled:
    """Group interchangeable people into types and build the panel constraint rows."""
    feats = quota_matrix(instance)
    shared = address_groups(instance)
    in_household = {i for g in shared for i in g}
    by_key: dict[tuple[int, ...], int] = {}
    members: list[list[int]] = []
    for i in range(len(instance.people)):
        # People in a shared household must stay distinguishable for the address rows.
        if merge_types and i not in in_household:
            key = tuple(feats[i].tolist())
            t = by_key.get(key)
            if t is None:
                by_key[key] = len(members)
                members.append([i])
            else:
                members[t].append(i)
        else:
            members.append([i])
    type_of = np.empty(len(instance.people), dtype=np.int64)
    for t, idx in enumerate(members):
        type_of[idx] = t
    tfeat = np.array([feats[idx[0]] for idx in members], dtype=np.int64).reshape(
        len(members), len(instance.quotas)
    )
    hh_groups = [sorted({int(type_of[i]) for i in g}) for g in shared]
    n_rows = 1 + len(instance.quotas) + len(hh_groups)
    rows = [np.ones((1, len(members)))]
    if instance.quotas:
        rows.append(tfeat.T.astype(np.float64))
    for g in hh_groups:
        r = np.zeros((1, len(members)))
        r[0, g] = 1.0
        rows.append(r)
    A = sparse.csr_array(np.vstack(rows))
    lb = np.array(
        [instance.k] + [q.min for q in instance.quotas] + [0] * len(hh_groups), dtype=np.float64
    )
    ub = np.array(
        [instance.k] + [q.max for q in instance.quotas] + [1] * len(hh_groups), dtype=np.float64
    )
    assert A.shape[0] == n_rows
    return Compiled(
        instance=instance,
        members=members,
        sizes=np.array([len(m) for m in members], dtype=np.int64),
        features=tfeat,
        A=A,
        lb=lb,
        ub=ub,
        household_groups=hh_groups,
    )
