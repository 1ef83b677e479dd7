"""Algebraic seatings for the pure social golfer problem, where the sizes allow one.

- Tables of two: the circle method's round robin gives 2g - 1 rounds of pairs.
- q tables of q (q = 2, 3, 4, 5, 7, 8): the parallel classes of the affine plane of
  order q give q + 1 rounds in which every pair meets exactly once.
"""

from __future__ import annotations

# Irreducible polynomials for the fields GF(4) and GF(8), as bit masks.
_MODULUS = {4: 0b111, 8: 0b1011}
PRIMES = {2, 3, 5, 7}

Rounds = list[list[list[int]]]  # rounds → tables → person indexes


def _field(q: int) -> tuple[list[list[int]], list[list[int]]]:
    """Addition and multiplication tables of GF(q) for a prime q or q in (4, 8)."""
    if q in PRIMES:
        return (
            [[(a + b) % q for b in range(q)] for a in range(q)],
            [[(a * b) % q for b in range(q)] for a in range(q)],
        )
    modulus = _MODULUS[q]

    def times(a: int, b: int) -> int:
        product = 0
        while b:
            if b & 1:
                product ^= a
            b >>= 1
            a <<= 1
            if a & q:
                a ^= modulus
        return product

    return [[a ^ b for b in range(q)] for a in range(q)], [
        [times(a, b) for b in range(q)] for a in range(q)
    ]


def affine_plane(q: int) -> Rounds:
    """q + 1 rounds of q tables of q: the point (x, y) is person x * q + y."""
    add, mul = _field(q)
    rounds: Rounds = [[[x * q + y for y in range(q)] for x in range(q)]]  # lines x = c
    for slope in range(q):
        tables = [[x * q + add[mul[slope][x]][c] for x in range(q)] for c in range(q)]
        rounds.append(tables)
    return rounds


def round_robin(n: int) -> Rounds:
    """n - 1 rounds of n / 2 tables of two (n even): everyone meets everyone once."""
    people = list(range(n))
    rounds: Rounds = []
    for _ in range(n - 1):
        rounds.append([[people[i], people[n - 1 - i]] for i in range(n // 2)])
        people = [people[0], people[-1], *people[1:-1]]
    return rounds


def design_for(tables: tuple[int, ...], people: int, rounds: int) -> Rounds | None:
    """A repeat-free seating of ``rounds`` rounds if an algebraic one fits the sizes, else None."""
    g, s = len(tables), tables[0]
    if any(size != s for size in tables) or people != g * s:
        return None
    if s == 2 and rounds <= 2 * g - 1:
        return round_robin(people)[:rounds]
    if g == s and (s in PRIMES or s in _MODULUS) and rounds <= s + 1:
        return affine_plane(s)[:rounds]
    return None
