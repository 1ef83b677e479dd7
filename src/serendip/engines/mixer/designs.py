"""Algebraic seatings for the pure social golfer problem, where the sizes allow one.

- Tables of two: the circle method's round robin gives 2g - 1 rounds of pairs.
- q tables of q (q a prime power): the parallel classes of the affine plane of
  order q give q + 1 rounds in which every pair meets exactly once.
- q tables of three, q a prime of the form 6t + 1 (7, 13, ...): a Kirkman triple
  system of order 3q gives (3q - 1) / 2 rounds in which every pair meets once
  (the cyclic construction over GF(q) x {0, 1, 2}, as in Ray-Chaudhuri and Wilson).
- 2^(k-2) tables of four (8 tables for 32 people): people are the vectors of GF(2)^k;
  each plane through the origin whose other points no earlier plane uses gives a
  round of its cosets (a partial spread of lines in PG(k-1, 2)): 21 rounds for 16 x 4,
  every pair meeting once.
- 8 tables of four for 10 rounds (``MIRRORED_8_4``): 16 couples who never meet, each
  round four tables and their mirror images, everyone else meeting exactly once.
- g tables of s <= g, g a prime power or 12: one round per row of a difference matrix
  of order g (g rounds over a field, 6 for 12), the people of one column never meeting.
- 10 tables of s <= 10: two orthogonal Latin squares of order 10 (``LATIN_10``) give
  3 rounds, and 4 when s = 10 (rows, columns and the two squares' symbols).
- 10 tables of 6, 7, 8 or 9 (``STARTER_BLOCKS``): 7, 7, 5 and 5 rounds, each round the
  translates of one starter block over Z_10s (Miller, Valkov and Abel, 2026).
- 10 tables of 5 (``ITD_50``): 10 rounds from an incomplete transversal design with one
  group dropped, its holes and its groups (the paper it comes from seats 9).
- 2q tables of q when nothing else fits: two designs of q tables of q side by side.
- Other sizes from ``ROTATIONAL``: designs invariant under x -> x + 1 on Z_m x levels
  (a few people left in place), given by base rounds (each shifted m times) and base
  tables with one person per level (each shifted into a whole round): among them a
  nearly Kirkman triple system of 30 (10 x 3, 14 rounds) and a resolvable (40, 4, 1)
  design (10 x 4, 13 rounds) and a resolvable 4-GDD of type 3^12 (9 x 4, 11 rounds). The
  bases were found once by ``bench/designs.py`` (CP-SAT or a depth-first search over the
  orbits of pairs) or ``bench/golfer_9_4.py`` and are checked by the tests.
"""

from __future__ import annotations

import math

# A (12, 6; 1) difference matrix over Z_6 x Z_2 (element k is (k % 6, k // 6)): between
# any two rows, the 12 differences column by column are all distinct. Found by CP-SAT
# (``bench/difference_matrix.py``) and checked by the tests; it seats 12 tables of up
# to 12 for 6 rounds, the dense 120-people dinner at tables of 10 among them.
DIFFERENCE_12 = [
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    [0, 8, 10, 9, 5, 3, 4, 6, 1, 11, 7, 2],
    [0, 4, 7, 11, 3, 6, 8, 5, 2, 10, 1, 9],
    [0, 5, 3, 10, 7, 9, 2, 1, 11, 8, 6, 4],
    [0, 3, 11, 7, 9, 2, 1, 8, 6, 5, 4, 10],
]

# Two orthogonal Latin squares of order 10 (every pair of symbols occurs in one cell),
# row by row: 10 tables of up to 10 for 4 rounds. Found by Parker's transversal method
# (``bench/latin_squares.py``) and checked by the tests. Whether three exist is open.
LATIN_10 = (
    [  # the first square
        "0123456789",
        "9672813540",
        "8401765923",
        "7985042316",
        "6798124035",
        "5810637294",
        "4569380172",
        "3054291867",
        "2347908651",
        "1236579408",
    ],
    [  # the second square
        "0123456789",
        "5014962837",
        "4839017256",
        "3460179528",
        "2987531604",
        "6508394172",
        "9371825460",
        "1296708345",
        "8752640913",
        "7645283091",
    ],
)

# 8 tables of 4 for 10 rounds, the proven maximum: 16 couples (2i, 2i + 1) who never
# meet, everyone else exactly once. Each round lists four base tables; their mirrors
# (every person swapped with their partner) are the other four. Found by CP-SAT on
# couples (``bench/mirrored_design.py``) and checked by the tests.
MIRRORED_8_4 = [
    [[0, 2, 4, 6], [8, 10, 12, 14], [16, 18, 20, 22], [24, 26, 28, 30]],
    [[0, 3, 13, 14], [6, 9, 10, 21], [4, 19, 27, 28], [17, 22, 24, 31]],
    [[0, 15, 23, 27], [3, 10, 20, 24], [7, 12, 17, 28], [5, 8, 19, 30]],
    [[0, 12, 18, 25], [2, 8, 16, 27], [5, 10, 23, 28], [6, 15, 20, 31]],
    [[0, 7, 24, 29], [5, 11, 14, 31], [3, 21, 22, 27], [8, 13, 17, 18]],
    [[0, 5, 16, 21], [10, 13, 25, 26], [3, 6, 18, 30], [8, 15, 22, 28]],
    [[0, 11, 17, 30], [7, 9, 22, 25], [5, 13, 20, 27], [2, 14, 18, 28]],
    [[0, 8, 26, 31], [15, 18, 21, 24], [2, 10, 17, 29], [4, 7, 13, 23]],
    [[0, 10, 19, 22], [2, 5, 9, 24], [6, 14, 17, 27], [13, 21, 28, 31]],
    [[0, 9, 20, 28], [6, 11, 19, 26], [4, 14, 16, 24], [2, 13, 22, 30]],
]


# 10 tables of 6 to 9 from starter blocks (Miller, Valkov and Abel, "Combinatorial
# Solutions to the Social Golfer Problem and the Social Golfer Problem with Adjacent Group
# Sizes", Symmetry 18(2), 269, 2026, Appendix A, Table A1, their ownSG(10s, s)), as
# transcribed in guwidoe/GroupMixer (backend/core/src/solver5/catalog/ownsg.rs) and checked
# by the tests: people are Z_10s; a starter block has one person of each residue modulo s,
# and its 10 translates by multiples of s make a round. 7, 7, 5 and 5 rounds, the best known.
STARTER_BLOCKS: dict[tuple[int, int], list[list[int]]] = {
    (10, 6): [
        [0, 1, 2, 3, 4, 5],
        [0, 7, 14, 21, 28, 35],
        [0, 8, 13, 23, 33, 46],
        [0, 9, 17, 19, 34, 50],
        [0, 11, 15, 32, 49, 58],
        [0, 16, 25, 41, 44, 57],
        [0, 20, 29, 40, 43, 51],
    ],
    (10, 7): [
        [0, 1, 2, 3, 4, 5, 6],
        [0, 8, 16, 24, 32, 40, 48],
        [0, 9, 15, 26, 38, 60, 69],
        [0, 10, 19, 25, 30, 43, 55],
        [0, 12, 27, 44, 53, 59, 64],
        [0, 13, 18, 22, 31, 61, 65],
        [0, 17, 23, 34, 54, 57, 67],
    ],
    (10, 8): [
        [0, 1, 2, 3, 4, 5, 6, 7],
        [0, 9, 18, 27, 36, 45, 54, 63],
        [0, 10, 17, 29, 39, 43, 68, 78],
        [0, 11, 22, 25, 44, 55, 69, 74],
        [0, 19, 31, 38, 42, 53, 65, 76],
    ],
    (10, 9): [
        [0, 1, 2, 3, 4, 5, 6, 7, 8],
        [0, 10, 20, 30, 40, 50, 60, 70, 80],
        [0, 11, 19, 33, 44, 52, 57, 68, 76],
        [0, 13, 26, 32, 37, 48, 61, 69, 74],
        [0, 17, 22, 34, 38, 51, 59, 66, 73],
    ],
}

# 10 tables of 5 for 10 rounds, from the incomplete transversal design ITD(6, 10; 2) that
# Miller, Valkov and Abel (2026, Figure 8, Example 3) give (as transcribed in
# guwidoe/GroupMixer, backend/core/src/solver5/catalog/ritd.rs): six groups of 10 with a
# hole of 2 in each; blocks of six meet every pair of two groups once, except the pairs of
# the holes. One group is dropped here (its point left out of every block, 50 people left:
# group j is 10j..10j+9, its hole 10j+8 and 10j+9). ``ITD_50[r]`` lists the blocks through
# the dropped group's point r: for r < 8 (outside the hole) they cover the 50 people, a
# round; for r = 8 (in the hole) they miss the five groups' holes. The paper seats 9 rounds
# (the eight full ones and one of the groups, split in halves); here the ninth is the blocks
# through 8 with the ten hole people at two tables of five (one person of each group per
# table: those pairs are the hole's, never met), and the tenth the groups in halves (the
# pairs within a group, never met otherwise): 10 rounds, one more than the paper lists.
ITD_50 = [
    [
        [2, 14, 25, 36, 48],
        [4, 16, 28, 31, 42],
        [6, 12, 24, 38, 47],
        [1, 18, 22, 32, 45],
        [8, 13, 21, 34, 41],
        [0, 15, 20, 33, 49],
        [7, 17, 29, 37, 46],
        [5, 10, 23, 39, 40],
        [3, 19, 27, 35, 43],
        [9, 11, 26, 30, 44],
    ],
    [
        [3, 15, 26, 37, 48],
        [5, 17, 28, 32, 43],
        [7, 13, 25, 38, 44],
        [2, 18, 23, 33, 46],
        [8, 10, 22, 35, 42],
        [1, 16, 21, 30, 49],
        [4, 14, 29, 34, 47],
        [6, 11, 20, 39, 41],
        [0, 19, 24, 36, 40],
        [9, 12, 27, 31, 45],
    ],
    [
        [0, 16, 27, 34, 48],
        [6, 14, 28, 33, 40],
        [4, 10, 26, 38, 45],
        [3, 18, 20, 30, 47],
        [8, 11, 23, 36, 43],
        [2, 17, 22, 31, 49],
        [5, 15, 29, 35, 44],
        [7, 12, 21, 39, 42],
        [1, 19, 25, 37, 41],
        [9, 13, 24, 32, 46],
    ],
    [
        [1, 17, 24, 35, 48],
        [7, 15, 28, 30, 41],
        [5, 11, 27, 38, 46],
        [0, 18, 21, 31, 44],
        [8, 12, 20, 37, 40],
        [3, 14, 23, 32, 49],
        [6, 16, 29, 36, 45],
        [4, 13, 22, 39, 43],
        [2, 19, 26, 34, 42],
        [9, 10, 25, 33, 47],
    ],
    [
        [6, 10, 21, 32, 48],
        [0, 12, 28, 35, 46],
        [2, 16, 20, 38, 43],
        [5, 18, 26, 36, 41],
        [8, 17, 25, 30, 45],
        [4, 11, 24, 37, 49],
        [3, 13, 29, 33, 42],
        [1, 14, 27, 39, 44],
        [7, 19, 23, 31, 47],
        [9, 15, 22, 34, 40],
    ],
    [
        [7, 11, 22, 33, 48],
        [1, 13, 28, 36, 47],
        [3, 17, 21, 38, 40],
        [6, 18, 27, 37, 42],
        [8, 14, 26, 31, 46],
        [5, 12, 25, 34, 49],
        [0, 10, 29, 30, 43],
        [2, 15, 24, 39, 45],
        [4, 19, 20, 32, 44],
        [9, 16, 23, 35, 41],
    ],
    [
        [4, 12, 23, 30, 48],
        [2, 10, 28, 37, 44],
        [0, 14, 22, 38, 41],
        [7, 18, 24, 34, 43],
        [8, 15, 27, 32, 47],
        [6, 13, 26, 35, 49],
        [1, 11, 29, 31, 40],
        [3, 16, 25, 39, 46],
        [5, 19, 21, 33, 45],
        [9, 17, 20, 36, 42],
    ],
    [
        [5, 13, 20, 31, 48],
        [3, 11, 28, 34, 45],
        [1, 15, 23, 38, 42],
        [4, 18, 25, 35, 40],
        [8, 16, 24, 33, 44],
        [7, 10, 27, 36, 49],
        [2, 12, 29, 32, 41],
        [0, 17, 26, 39, 47],
        [6, 19, 22, 30, 46],
        [9, 14, 21, 37, 43],
    ],
    [
        [0, 11, 25, 32, 42],
        [1, 12, 26, 33, 43],
        [2, 13, 27, 30, 40],
        [3, 10, 24, 31, 41],
        [4, 15, 21, 36, 46],
        [5, 16, 22, 37, 47],
        [6, 17, 23, 34, 44],
        [7, 14, 20, 35, 45],
    ],
]


def is_prime(q: int) -> bool:
    """Whether q is a prime number."""
    return q > 1 and all(q % d for d in range(2, int(q**0.5) + 1))


Rounds = list[list[list[int]]]  # rounds → tables → person indexes


def _log(g: int, s: int) -> float:
    """log_s(g), to test whether g is a power of s."""
    return math.log(g) / math.log(s)


def prime_power(q: int) -> tuple[int, int] | None:
    """(p, k) with q = p^k for a prime p, or None if q is not a prime power."""
    for p in range(2, q + 1):
        if q % p == 0:
            k, rest = 0, q
            while rest % p == 0:
                rest, k = rest // p, k + 1
            return (p, k) if rest == 1 else None
    return None


def _field(q: int) -> tuple[list[list[int]], list[list[int]]]:
    """Addition and multiplication tables of GF(q), q a prime power.

    An element is a polynomial of degree < k over GF(p), written in base p (digit i is
    the coefficient of x^i); products are taken modulo the first monic polynomial of
    degree k under which no two nonzero elements multiply to zero (an irreducible one).
    """
    found = prime_power(q)
    if found is None:
        raise ValueError(f"no field of order {q}")
    p, k = found
    digits = [[(a // p**i) % p for i in range(k)] for a in range(q)]

    def number(coefficients: list[int]) -> int:
        return sum((c % p) * p**i for i, c in enumerate(coefficients))

    add = [[number([x + y for x, y in zip(da, db, strict=True)]) for db in digits] for da in digits]

    def times(a: int, b: int, modulus: list[int]) -> int:
        product = [0] * (2 * k - 1)
        for i, x in enumerate(digits[a]):
            for j, y in enumerate(digits[b]):
                product[i + j] += x * y
        for degree in range(2 * k - 2, k - 1, -1):  # x^k = -(modulus without its top term)
            top = product[degree] % p
            for i, c in enumerate(modulus):
                product[degree - k + i] -= top * c
        return number(product[:k])

    for low in range(p**k):
        modulus = [*digits[low], 1]
        mul = [[times(a, b, modulus) for b in range(q)] for a in range(q)]
        if all(mul[a][b] for a in range(1, q) for b in range(1, q)):
            return add, mul
    raise AssertionError(f"no irreducible polynomial of degree {k} over GF({p})")


def affine_plane(q: int) -> Rounds:
    """q + 1 rounds of q tables of q: the point (x, y) is person x * q + y."""
    add, mul = _field(q)
    rounds: Rounds = [[[x * q + y for y in range(q)] for x in range(q)]]  # lines x = c
    for slope in range(q):
        tables = [[x * q + add[mul[slope][x]][c] for x in range(q)] for c in range(q)]
        rounds.append(tables)
    return rounds


def affine_space(q: int, k: int) -> Rounds:
    """(q^k - 1) / (q - 1) rounds of q^(k-1) tables of q: the lines of AG(k, q), one round
    per direction (e.g. 9 tables of 3 for 13 rounds, a Kirkman triple system of 27).

    Point (x_1, ..., x_k) is person sum x_i q^(i-1); two points share exactly one line.
    """
    add, mul = _field(q)
    points = [tuple((n // q**i) % q for i in range(k)) for n in range(q**k)]

    def number(point: tuple[int, ...]) -> int:
        return sum(x * q**i for i, x in enumerate(point))

    directions = [d for d in points if any(d) and d[next(i for i, x in enumerate(d) if x)] == 1]
    rounds: Rounds = []
    for d in directions:
        seen: set[int] = set()
        tables = []
        for p in points:
            if number(p) in seen:
                continue
            line = sorted(
                number(tuple(add[x][mul[c][y]] for x, y in zip(p, d, strict=True)))
                for c in range(q)
            )
            seen.update(line)
            tables.append(line)
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


def _primitive_root(q: int) -> int:
    """The smallest generator of the multiplicative group of GF(q), q prime."""
    for g in range(2, q):
        if len({pow(g, k, q) for k in range(q - 1)}) == q - 1:
            return g
    raise ValueError(f"no primitive root modulo {q}")


def kirkman(q: int) -> Rounds:
    """(3q - 1) / 2 rounds of q tables of three for a prime q = 6t + 1.

    Person (x, j), x in GF(q) and j in {0, 1, 2}, is index j * q + x. Triples
    {g^i, g^(i+2t), g^(i+4t)} are the cosets of the cube roots of unity: taken within
    one level or across the three levels, and shifted by every
    element of the field, they cover each pair of people exactly once; the
    construction groups them into parallel classes (rounds).
    """
    t = (q - 1) // 6
    if q < 7 or (q - 1) % 6 or not is_prime(q):
        raise ValueError(f"{q} is not a prime of the form 6t + 1")
    g = _primitive_root(q)

    def power(k: int) -> int:
        return pow(g, k, q)

    def person(x: int, level: int) -> int:
        return level * q + x % q

    def within(i: int, level: int) -> list[tuple[int, int]]:
        return [(power(i), level), (power(i + 2 * t), level), (power(i + 4 * t), level)]

    def across(i: int) -> list[tuple[int, int]]:
        return [(power(i), 0), (power(i + 2 * t), 1), (power(i + 4 * t), 2)]

    base = [[(0, 0), (0, 1), (0, 2)]]
    base += [within(i, level) for i in range(t) for level in (0, 1, 2)]
    base += [across(i) for i in range(6 * t) if (i // t) % 2 == 1]

    def shifted(block: list[tuple[int, int]], by: int) -> list[int]:
        return sorted(person(x + by, level) for x, level in block)

    rounds: Rounds = [[shifted(block, s) for block in base] for s in range(q)]
    for i in range(6 * t):
        if (i // t) % 2 == 0:
            rounds.append([shifted(across(i), s) for s in range(q)])
    return rounds


Point = tuple[int, int]  # (x in Z_m, level)
# (tables, size) -> (order m, base rounds, fixed rounds). A base round is shifted m times;
# a fixed round lists base tables (one person per level of a group of levels), each
# shifted m times to fill the round.
ROTATIONAL: dict[tuple[int, int], tuple[int, list[list[list[Point]]], list[list[list[Point]]]]] = {
    # Kirkman's fifteen schoolgirls, 5 tables of 3 for 7 rounds: shifted by x -> x + 1
    # over Z_7 with the fifteenth person, (-1, 0), left in place.
    (5, 3): (
        7,
        [
            [
                [(0, 0), (5, 0), (5, 1)],
                [(1, 1), (2, 1), (4, 1)],
                [(-1, 0), (0, 1), (6, 0)],
                [(2, 0), (3, 0), (6, 1)],
                [(1, 0), (3, 1), (4, 0)],
            ]
        ],
        [],
    ),
    # 7 tables of 4 for 9 rounds: a resolvable (28, 4, 1) design, the best known.
    (7, 4): (
        7,
        [
            [
                [(0, 0), (0, 3), (3, 2), (5, 1)],
                [(2, 1), (2, 2), (3, 1), (5, 2)],
                [(0, 2), (1, 2), (2, 0), (6, 0)],
                [(0, 1), (1, 3), (3, 3), (4, 1)],
                [(1, 1), (4, 0), (5, 0), (6, 1)],
                [(1, 0), (3, 0), (4, 3), (5, 3)],
                [(2, 3), (4, 2), (6, 2), (6, 3)],
            ]
        ],
        [
            [[(0, 0), (6, 1), (0, 2), (6, 3)]],
            [[(0, 0), (0, 1), (4, 2), (5, 3)]],
        ],
    ),
    # 6 tables of 3 for 8 rounds (the best known), under a symmetry of order 3.
    (6, 3): (
        3,
        [
            [
                [(0, 0), (0, 1), (1, 4)],
                [(0, 3), (2, 2), (2, 5)],
                [(0, 5), (1, 2), (2, 0)],
                [(0, 2), (0, 4), (1, 1)],
                [(1, 3), (2, 3), (2, 4)],
                [(1, 0), (1, 5), (2, 1)],
            ],
            [
                [(0, 4), (1, 3), (1, 5)],
                [(1, 0), (1, 2), (2, 2)],
                [(0, 2), (1, 4), (2, 4)],
                [(0, 5), (2, 1), (2, 5)],
                [(0, 0), (0, 3), (2, 0)],
                [(0, 1), (1, 1), (2, 3)],
            ],
        ],
        [
            [[(1, 1), (2, 2), (1, 3)], [(2, 0), (2, 4), (1, 5)]],
            [[(2, 0), (1, 1), (1, 4)], [(2, 2), (2, 3), (0, 5)]],
        ],
    ),
    # 6 tables of 5 for 6 rounds (the best known), one base round shifted over Z_6;
    # found by bench/designs.py 6 5 6 --order 6.
    (6, 5): (
        6,
        [
            [
                [(0, 0), (0, 3), (4, 2), (4, 3), (5, 2)],
                [(0, 1), (0, 2), (1, 1), (2, 2), (3, 4)],
                [(2, 3), (2, 4), (3, 1), (3, 3), (4, 4)],
                [(2, 1), (3, 0), (4, 0), (4, 1), (5, 3)],
                [(0, 4), (1, 0), (1, 2), (1, 4), (5, 0)],
                [(1, 3), (2, 0), (3, 2), (5, 1), (5, 4)],
            ]
        ],
        [],
    ),
    # 8 tables of 3 for 11 rounds under Z_8 (bench/designs.py 8 3 11 --order 8): each
    # person meets 22 of 23, the most possible (a nearly Kirkman triple system of 24).
    (8, 3): (
        8,
        [
            [
                [(0, 0), (1, 0), (6, 0)],
                [(1, 1), (7, 0), (7, 1)],
                [(1, 2), (3, 0), (7, 2)],
                [(0, 2), (5, 2), (6, 1)],
                [(2, 2), (4, 1), (5, 1)],
                [(0, 1), (2, 0), (3, 1)],
                [(2, 1), (5, 0), (6, 2)],
                [(3, 2), (4, 0), (4, 2)],
            ]
        ],
        [
            [[(5, 0), (0, 1), (0, 2)]],
            [[(4, 0), (0, 1), (1, 2)]],
            [[(0, 0), (7, 1), (2, 2)]],
        ],
    ),
    # 10 tables of 3 for 14 rounds, the most possible: a nearly Kirkman triple system of 30
    # (everyone meets 28 of 29), one base round shifted over Z_14 with two people left in
    # place; bench/designs.py 10 3 14 --order 14 --still 2.
    (10, 3): (
        14,
        [
            [
                [(0, 0), (8, 0), (12, 0)],
                [(10, 1), (11, 1), (13, 1)],
                [(-1, 0), (2, 1), (13, 0)],
                [(6, 1), (10, 0), (11, 0)],
                [(3, 1), (4, 0), (9, 0)],
                [(-2, 0), (4, 1), (6, 0)],
                [(2, 0), (5, 0), (9, 1)],
                [(1, 0), (1, 1), (7, 1)],
                [(0, 1), (3, 0), (5, 1)],
                [(7, 0), (8, 1), (12, 1)],
            ]
        ],
        [],
    ),
    # 10 tables of 4 for 13 rounds: a resolvable (40, 4, 1) design, everyone meets everyone
    # once. One base round over Z_13 with one person left in place; the base round is also
    # left unchanged by (x, level) -> (3x, level + 1), so its tables come in threes (found
    # by ``bench/designs.py 10 4 13 --multiplier 3``).
    (10, 4): (
        13,
        [
            [
                [(-1, 0), (0, 0), (0, 1), (0, 2)],
                [(1, 0), (2, 0), (6, 0), (12, 2)],
                [(3, 1), (6, 1), (5, 1), (10, 0)],
                [(9, 2), (5, 2), (2, 2), (4, 1)],
                [(3, 0), (8, 1), (1, 1), (4, 2)],
                [(9, 1), (11, 2), (3, 2), (12, 0)],
                [(1, 2), (7, 0), (9, 0), (10, 1)],
                [(4, 0), (6, 2), (7, 2), (11, 0)],
                [(12, 1), (5, 0), (8, 0), (7, 1)],
                [(10, 2), (2, 1), (11, 1), (8, 2)],
            ]
        ],
        [],
    ),
    # 9 tables of 4 for 11 rounds, the most possible: a resolvable 4-GDD of type 3^12.
    # People are Z_11 x {0, 1, 2} and three left in place (inf_k is (-1 - k, 0)); the groups
    # {x} x {0, 1, 2} and the three infs never meet, everyone else meets exactly once. The
    # base round is three base tables and their images under (x, level) -> (x, level + 1),
    # inf_k -> inf_(k+1); found by an exhaustive search (``bench/golfer_9_4.py``).
    (9, 4): (
        11,
        [
            [
                [(-1, 0), (0, 0), (1, 1), (4, 2)],
                [(-2, 0), (0, 1), (1, 2), (4, 0)],
                [(-3, 0), (0, 2), (1, 0), (4, 1)],
                [(2, 0), (3, 0), (6, 0), (8, 2)],
                [(2, 1), (3, 1), (6, 1), (8, 0)],
                [(2, 2), (3, 2), (6, 2), (8, 1)],
                [(5, 0), (10, 0), (7, 1), (9, 1)],
                [(5, 1), (10, 1), (7, 2), (9, 2)],
                [(5, 2), (10, 2), (7, 0), (9, 0)],
            ]
        ],
        [],
    ),
    # 6 tables of 4 for 7 rounds (the best known), under a symmetry of order 3.
    (6, 4): (
        3,
        [
            [
                [(0, 0), (1, 3), (1, 6), (2, 3)],
                [(1, 2), (1, 7), (2, 5), (2, 6)],
                [(0, 6), (1, 0), (1, 5), (2, 1)],
                [(0, 2), (0, 3), (1, 1), (2, 2)],
                [(0, 1), (0, 5), (1, 4), (2, 4)],
                [(0, 4), (0, 7), (2, 0), (2, 7)],
            ],
            [
                [(0, 1), (0, 3), (1, 5), (1, 7)],
                [(0, 0), (0, 4), (0, 6), (1, 2)],
                [(0, 7), (1, 3), (2, 2), (2, 4)],
                [(1, 1), (1, 4), (2, 0), (2, 3)],
                [(0, 2), (0, 5), (1, 0), (2, 5)],
                [(1, 6), (2, 1), (2, 6), (2, 7)],
            ],
        ],
        [[[(1, 3), (1, 4), (1, 5), (2, 6)], [(0, 0), (0, 1), (0, 2), (2, 7)]]],
    ),
}


def rotational(g: int, s: int) -> Rounds:
    """The rounds of the rotational design for g tables of s people; KeyError if unknown.

    Person (x, level) is index level * m + x, x taken modulo the order m; a negative x
    names one of the last people, whom the shift leaves in place (-1 is the last).
    """
    m, base_rounds, fixed_rounds = ROTATIONAL[(g, s)]

    def person(x: int, level: int, shift: int) -> int:
        # x < 0 names someone the shift leaves in place, counted from the last person.
        return g * s + x if x < 0 else level * m + (x + shift) % m

    rounds: Rounds = [
        [[person(x, level, shift) for x, level in table] for table in base]
        for base in base_rounds
        for shift in range(m)
    ]
    for fixed in fixed_rounds:
        rounds.append(
            [
                [person(x, level, shift) for x, level in table]
                for table in fixed
                for shift in range(m)
            ]
        )
    return rounds


def starter_rounds(g: int, s: int) -> Rounds:
    """The rounds of the starter blocks for g tables of s; KeyError if none are stored.

    Person x of Z_gs; round k seats the translates of starter block k by s, 2s, ..., gs.
    """
    v = g * s
    return [
        [sorted((x + s * i) % v for x in block) for i in range(g)]
        for block in STARTER_BLOCKS[(g, s)]
    ]


def transversal_50() -> Rounds:
    """10 rounds of 10 tables of 5 from ``ITD_50``: eight full parallel classes, one class
    through a hole point completed by the holes, and the groups split in halves."""
    rounds: Rounds = [[list(block) for block in row] for row in ITD_50[:8]]
    holes = [[10 * j + e for j in range(5)] for e in (8, 9)]
    rounds.append([*(list(block) for block in ITD_50[8]), *holes])
    rounds.append([list(range(10 * j + h, 10 * j + h + 5)) for j in range(5) for h in (0, 5)])
    return rounds


def difference_matrix(g: int) -> tuple[list[list[int]], list[list[int]]] | None:
    """(subtraction table, matrix rows) of a difference matrix over a group of order g, or None.

    Over GF(q), q a prime power, the rows r * c (r, c in the field) differ by
    (r - r') * c, distinct for distinct columns: q rows. Order 12 has no field;
    ``DIFFERENCE_12`` gives 6 rows.
    """
    if prime_power(g):
        add, mul = _field(g)
        rows = [[mul[r][c] for c in range(g)] for r in range(g)]
    elif g == 12:
        add = [[(a + b) % 6 + 6 * ((a // 6 + b // 6) % 2) for b in range(12)] for a in range(12)]
        rows = DIFFERENCE_12
    else:
        return None
    minus = [[0] * g for _ in range(g)]
    for x in range(g):
        for a in range(g):
            minus[add[x][a]][a] = x
    return minus, rows


def transversal(g: int, s: int) -> Rounds:
    """One round per row of a difference matrix of order g: g tables of s <= g people.

    Person (c, i), column c < s and i in the group, is index c * g + i. In round r,
    table t seats (c, t - a[r][c]) for every column c, so (c, i) and (c', i') share a
    table in round r only when i - i' = a[r][c'] - a[r][c]: distinct differences
    between rows make that happen in one round at most. The people of one column never
    meet, which is where colleagues can sit.
    """
    found = difference_matrix(g)
    if found is None or s > g:
        raise ValueError(f"no difference matrix for {g} tables of {s}")
    minus, rows = found
    return [[[c * g + minus[t][row[c]] for c in range(s)] for t in range(g)] for row in rows]


def orthogonal_squares(squares: tuple[list[str], ...], s: int) -> Rounds:
    """Rounds of n tables of s <= n people from mutually orthogonal Latin squares of order n.

    Person (x, y), row x and column y < s, is index y * n + x. The first round seats
    row x at table x, each square L seats (x, y) at table L[x][y], and when s = n a
    last round seats column y at table y. Two cells share a row, a column or a symbol
    of one square only, and orthogonal squares never give two cells the same pair of
    symbols: no pair meets twice.
    """
    n = len(squares[0])
    if s > n:
        raise ValueError(f"{n} x {n} squares seat at most {n} per table")
    rounds: Rounds = [[[y * n + x for y in range(s)] for x in range(n)]]
    for square in squares:
        tables: list[list[int]] = [[] for _ in range(n)]
        for x in range(n):
            for y in range(s):
                tables[int(square[x][y])].append(y * n + x)
        rounds.append(tables)
    if s == n:
        rounds.append([[y * n + x for x in range(n)] for y in range(n)])
    return rounds


def mirrored(base_rounds: list[list[list[int]]]) -> Rounds:
    """Rounds of base tables and their mirrors: person p's partner p ^ 1 sits at the mirror."""
    return [[*tables, *([p ^ 1 for p in table] for table in tables)] for tables in base_rounds]


def binary_spread(k: int) -> Rounds:
    """Rounds of 2^(k-2) tables of four on the 2^k vectors of GF(2)^k, no pair twice.

    A table is a coset x + V of a plane V = {0, a, b, a ^ b}; two people x, y share a
    table of round V exactly when x ^ y is in V, so planes with disjoint nonzero
    points never seat a pair twice. The planes are chosen by a depth-first search
    for the largest such family (a partial line spread of PG(k - 1, 2)).
    """
    vectors = range(1, 2**k)
    planes = sorted(
        {frozenset((a, b, a ^ b)) for a in vectors for b in vectors if a != b}, key=sorted
    )
    # The largest partial line spread of PG(k - 1, 2): (2^k - 1) / 3 lines for k even,
    # (2^k - 5) / 3 for k odd; the search stops as soon as it reaches it.
    most = (2**k - 1) // 3 if k % 2 == 0 else (2**k - 5) // 3
    best: list[frozenset[int]] = []

    def extend(chosen: list[frozenset[int]], used: frozenset[int], start: int) -> bool:
        nonlocal best
        if len(chosen) > len(best):
            best = list(chosen)
        if len(best) >= most:
            return True
        if len(chosen) + (2**k - 1 - len(used)) // 3 <= len(best):
            return False
        return any(
            extend([*chosen, plane], used | plane, i + 1)
            for i, plane in enumerate(planes[start:], start)
            if not plane & used
        )

    extend([], frozenset(), 0)
    rounds: Rounds = []
    for plane in best:
        a, b = sorted(plane)[:2]
        seen: set[int] = set()
        tables = []
        for x in range(2**k):
            if x not in seen:
                table = [x, x ^ a, x ^ b, x ^ a ^ b]
                seen.update(table)
                tables.append(sorted(table))
        rounds.append(tables)
    return rounds


def design_for(tables: tuple[int, ...], people: int, rounds: int) -> Rounds | None:
    """A repeat-free seating of ``rounds`` rounds if an algebraic one fits the sizes, else None."""
    g, s = len(tables), tables[0]
    if any(size != s for size in tables) or people != g * s:
        return None
    if s == 2 and rounds <= 2 * g - 1:
        return round_robin(people)[:rounds]
    if g == s and prime_power(s) and rounds <= s + 1:
        return affine_plane(s)[:rounds]
    found = prime_power(s)
    if found and g > s and s ** round(_log(g, s)) == g and rounds <= (g * s - 1) // (s - 1):
        return affine_space(s, round(_log(g, s)) + 1)[:rounds]
    if s == 4 and g == 8 and rounds <= len(MIRRORED_8_4):
        return mirrored(MIRRORED_8_4)[:rounds]
    if s == 4 and g == 16 and rounds <= 21:  # a full spread of PG(5, 2): every pair once
        return binary_spread(6)[:rounds]
    if (g, s) in ROTATIONAL:
        shifted = rotational(g, s)
        if rounds <= len(shifted):
            return shifted[:rounds]
    if (g, s) in STARTER_BLOCKS and rounds <= len(STARTER_BLOCKS[(g, s)]):
        return starter_rounds(g, s)[:rounds]
    if (g, s) == (10, 5) and rounds <= 10:
        return transversal_50()[:rounds]
    if s == 3 and g >= 7 and (g - 1) % 6 == 0 and rounds <= (3 * g - 1) // 2:
        try:
            return kirkman(g)[:rounds]
        except ValueError:  # g is not prime: no cyclic construction here
            pass
    seating = None
    if s <= g and (prime_power(g) or g == 12):
        seating = transversal(g, s)
    elif g == 10 and s <= 10:
        seating = orthogonal_squares(LATIN_10, s)
    if (seating is None or rounds > len(seating)) and g % 2 == 0 and s == g // 2:
        # Two halves of the room seated side by side on one square design for half the
        # tables (14 x 7 for 8 rounds: two affine planes of order 7); the halves never meet.
        half = design_for(tables[: g // 2], people // 2, rounds)
        if half is not None:
            return [[*r, *([p + people // 2 for p in t] for t in r)] for r in half]
    return seating[:rounds] if seating is not None and rounds <= len(seating) else None
