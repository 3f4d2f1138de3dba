"""Rewrites against overflow and underflow, the way PyTorch and JAX evaluate these formulas.

Most ML formulas are built from exponentials: sigmoid, softmax, logsumexp, softplus, tanh and their derivatives.
Written as textbooks do, exp(x) overflows past 709.78 (88.7 in float32) and 1 - sigmoid(x) rounds to 0 long
before its value does. The rules here rewrite, node by node:

- a product of exp(k*u) and powers of 1 + exp(+-u) into sigmoids: sigmoid(u)**a * sigmoid(-u)**b, written
  1/(1 + exp(-u)) and 1/(1 + exp(u)); an even one (sigmoid' is sigmoid(u)*sigmoid(-u)) in |u|, which is exact;
- a product with powers of a sum of exponentials (softmax) with the largest exponent taken out of the sum;
- a sum of such fractions over one denominator (softmax - 1, 1 - sigmoid, s*(1 - s)) into one fraction whose
  numerator has no difference left; sums of sigmoid products (sigmoid'') factored, z - 1 becoming tanh(u/2);
- log of such sums and products into softplus and the max-shifted logsumexp;
- 1 +- erf(u), 1 +- tanh(u), 1 - tanh(u)**2, sinh/cosh, softplus(u) - softplus(-u), log(cosh(u));
- log(gamma(u)) and log(beta(a, b)) into loggamma and betaln, sqrt(u**2 + v**2) into hypot.

Each rule sees one node whose arguments are already rewritten and does symbolic work bounded by its size.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import sympy
from sympy.codegen.cfunctions import log1p

from neurogebra.functions import betaln, erfc, hypot, loggamma, softplus

MAX_MULTIPLE = 8            # exp(k*u) is recognized as a power of exp(u) for |k| up to this
MAX_POWER = 8               # powers of sums of exponentials handled, and of sigmoids produced
MAX_SUM_TERMS = 8           # sums of more exponentials than this are left alone
MAX_EXPANDED_TERMS = 64     # a sum over one denominator is not formed when multiplying out would give more terms
LOG_COSH_SWITCH = 20        # log(cosh(u)) switches from its small-|u| form to its large-|u| form here


# ---------------------------------------------------------------------------------------------- stable pieces
def sigmoid(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-u))


def logsumexp(exponents: Sequence[sympy.Expr]) -> sympy.Expr:
    """log(sum(exp(e))) without overflow, and without losing the small terms beside the largest (log(1 + r)
    rounds to 0 where it is r): log(1 + exp(u)) = softplus(u), log(1 + sum) = softplus(log(sum)),
    log(exp(a) + exp(b)) = Max(a, b) + softplus(-|a - b|), else the largest exponent m taken out,
    m + log(sum(exp(e - m)))."""
    if 0 in exponents and len(exponents) > 1:
        rest = list(exponents)
        rest.remove(0)
        return softplus(rest[0] if len(rest) == 1 else logsumexp(rest))
    if len(exponents) == 2:
        a, b = exponents
        return sympy.Max(a, b) + softplus(-sympy.Abs(a - b))
    largest = sympy.Max(*exponents)
    return largest + sympy.log(sympy.Add(*(sympy.exp(e - largest) for e in exponents)))


def log_cosh(u: sympy.Expr) -> sympy.Expr:
    """log(cosh(u)): log1p(2*sinh(u/2)**2) near 0 (no cancellation), |u| + log1p(exp(-2|u|)) - log(2) far out
    (no overflow)."""
    v = sympy.Abs(u)
    return sympy.Piecewise((log1p(2 * sympy.sinh(u / 2) ** 2), v < LOG_COSH_SWITCH),
                           (v + log1p(sympy.exp(-2 * v)) - sympy.log(2), True))


def logistic(u: sympy.Expr, a: int, b: int) -> sympy.Expr:
    """sigmoid(u)**a * sigmoid(-u)**b (a, b >= 0): in |u| when a == b (the function is even), which is exact
    everywhere; else as 1/(1 + exp(-u)) and 1/(1 + exp(u))."""
    if a == b:
        v = sympy.Abs(u)
        return sympy.exp(-a * v) / (1 + sympy.exp(-v)) ** (2 * a)
    return 1 / ((1 + sympy.exp(-u)) ** a * (1 + sympy.exp(u)) ** b)


# ---------------------------------------------------------------------------------------------- matching
def multiple(expr: sympy.Expr, unit: sympy.Expr) -> int | None:
    """k when expr == k*unit for an integer |k| <= MAX_MULTIPLE (0 included), else None."""
    if expr == 0:
        return 0
    ratio = expr / unit
    if not ratio.is_number:
        expr, unit = sympy.expand_mul(expr), sympy.expand_mul(unit)
        coefficient, lead = sympy.Add.make_args(unit)[0].as_coeff_Mul()
        matching = [t.as_coeff_Mul()[0] for t in sympy.Add.make_args(expr) if t.as_coeff_Mul()[1] == lead]
        if not matching:
            return None
        ratio = matching[0] / coefficient
    if not ratio.is_Number or ratio != int(ratio) or abs(int(ratio)) > MAX_MULTIPLE:
        return None
    k = int(ratio)
    return k if sympy.expand_mul(expr - k * unit) == 0 else None


def one_plus_exp(base: sympy.Expr) -> sympy.Expr | None:
    """w when base is 1 + exp(w)."""
    if isinstance(base, sympy.Add) and len(base.args) == 2 and sympy.S.One in base.args:
        other = base.args[1] if base.args[0] == 1 else base.args[0]
        if isinstance(other, sympy.exp):
            return other.args[0]
    return None


def exp_sum(expr: sympy.Expr) -> list[sympy.Expr] | None:
    """The exponents e of a sum of exp(e) (a term 1 is exp(0)) with at least two terms and a variable one."""
    if not isinstance(expr, sympy.Add) or len(expr.args) > MAX_SUM_TERMS:
        return None
    exponents = []
    for term in expr.args:
        if term == 1:
            exponents.append(sympy.S.Zero)
        elif isinstance(term, sympy.exp):
            exponents.append(term.args[0])
        else:
            return None
    return exponents if any(not e.is_number for e in exponents) else None


def weighted_exponent(term: sympy.Expr) -> sympy.Expr | None:
    """a when term is exp(a), c*exp(a) with c > 0 (a + log(c)), or a positive constant (log of it)."""
    coefficient, rest = term.as_coeff_Mul()
    if coefficient <= 0:
        return None
    if rest == 1:
        return sympy.log(coefficient)
    if isinstance(rest, sympy.exp):
        return rest.args[0] + sympy.log(coefficient)
    return None


def shift_of(exponents: Sequence[sympy.Expr]) -> sympy.Max | None:
    """m when the exponents are e - m with m = Max(...e...) already, as in the max-shifted logsumexp and softmax."""
    for largest in exponents[0].atoms(sympy.Max):
        if {sympy.expand_mul(e + largest) for e in exponents} == set(largest.args):
            return largest
    return None


def integer_power(factor: sympy.Expr) -> tuple[sympy.Expr, int] | None:
    base, power = factor.as_base_exp()
    if power.is_Integer and 0 < abs(int(power)) <= MAX_POWER:
        return base, int(power)
    return None


# ---------------------------------------------------------------------------------------------- sigmoids
@dataclass(frozen=True)
class Logistic:
    """coefficient * sigmoid(u)**a * sigmoid(-u)**b."""

    u: sympy.Expr
    a: int
    b: int
    coefficient: sympy.Expr

    def even(self) -> Logistic:
        """The same in u when it is written in |u| and even."""
        if isinstance(self.u, sympy.Abs) and self.a == self.b:
            return Logistic(self.u.args[0], self.a, self.b, self.coefficient)
        return self

    def flipped(self) -> Logistic:
        return Logistic(-self.u, self.b, self.a, self.coefficient)


def split_factors(product: sympy.Expr, match: Callable[[sympy.Expr], Any]) -> tuple[list, list, list]:
    """The factors of a product as (exponents of its exp factors, (match(base), power) for each integer power
    whose base `match` recognises, the other factors)."""
    exponents, matched, rest = [], [], []
    for factor in sympy.Mul.make_args(product):
        powered = integer_power(factor)
        found = match(powered[0]) if powered else None
        if isinstance(factor, sympy.exp):
            exponents.append(factor.args[0])
        elif found is not None and powered is not None:  # found only where powered
            matched.append((found, powered[1]))
        else:
            rest.append(factor)
    return exponents, matched, rest


def as_logistic(node: sympy.Expr) -> Logistic | None:
    """A product of exp(k*u) and integer powers of 1 + exp(+-u) as sigmoids:
    exp(k*u)*(1 + exp(u))**m*(1 + exp(-u))**n = sigmoid(u)**(k - n)*sigmoid(-u)**(-k - m)."""
    exponents, ones, rest = split_factors(node, one_plus_exp)
    if not ones:
        return None
    u = -ones[0][0] if ones[0][0].could_extract_minus_sign() else ones[0][0]
    m = n = 0
    for w, power in ones:
        k = multiple(w, u)
        if k == 1:
            m += power
        elif k == -1:
            n += power
        else:
            rest.append((1 + sympy.exp(w)) ** power)
    k = multiple(sympy.Add(*exponents), u)
    if k is None:
        k = 0
        for e in exponents:
            share = multiple(e, u)
            if share is None:
                rest.append(sympy.exp(e))
            else:
                k += share
    return Logistic(u, k - n, -k - m, sympy.Mul(*rest))


def stable_sigmoids(node: sympy.Expr) -> sympy.Expr | None:
    """exp(u)/(1 + exp(u)) -> 1/(1 + exp(-u)), exp(-u)/(1 + exp(-u))**2 -> exp(-|u|)/(1 + exp(-|u|))**2 and
    every product of exp(k*u) and powers of 1 + exp(+-u) whose value is bounded (a product of sigmoids)."""
    if not isinstance(node, (sympy.Mul, sympy.Pow)):
        return None
    found = as_logistic(node)
    if found is None or found.a < 0 or found.b < 0 or found.a + found.b == 0 or max(found.a, found.b) > MAX_POWER:
        return None
    result = found.coefficient * logistic(found.u, found.a, found.b)
    return result if result != node else None


def combined_sigmoids(node: sympy.Expr) -> sympy.Expr | None:
    """A sum of sigmoid products of one u over their common denominator: with z = exp(-u) it is p(z)/(1 + z)**n;
    the factors of p that cancel are z - 1 (paired with a 1 + z into -tanh(u/2)) and 1 + z. sigmoid'' =
    -exp(-|u|)*tanh(u/2)/(1 + exp(-|u|))**2."""
    if not isinstance(node, sympy.Add) or len(node.args) > MAX_SUM_TERMS:
        return None
    found = [as_logistic(t) for t in node.args]
    logistics = [t for t in found if t is not None]
    if len(logistics) != len(found) or any(t.a < 0 or t.b < 0 for t in logistics):
        return None
    terms = [t.even() for t in logistics]
    u = terms[0].u
    aligned = []
    for t in terms:
        if t.u != u and sympy.expand_mul(t.u + u) != 0:
            return None
        aligned.append(t if t.u == u else t.flipped())
    if any(t.coefficient.has(*u.free_symbols) for t in aligned):
        return None
    z = sympy.Dummy("z", positive=True)
    degree = max(t.a + t.b for t in aligned)
    numerator = sympy.expand(sympy.Add(*(t.coefficient * z ** t.b * (1 + z) ** (degree - t.a - t.b)
                                         for t in aligned)))
    if numerator == 0:
        return sympy.S.Zero
    constant, factors = sympy.factor_list(numerator, z)
    powers = dict(factors)
    j, r, s = powers.pop(z, 0), powers.pop(z - 1, 0), powers.pop(z + 1, 0)
    left = degree - s - r  # powers of 1 + z left in the denominator
    if r == 0 or powers or left < j:
        return None
    return constant * (-sympy.tanh(u / 2)) ** r * logistic(u, left - j, j)


# ---------------------------------------------------------------------------------------------- softmax
def _shift(exponents: list[sympy.Expr]) -> tuple[sympy.Expr, sympy.Expr]:
    """(m, sum of exp(e - m)), m the largest exponent."""
    largest = sympy.Max(*exponents)
    return largest, sympy.Add(*(sympy.exp(e - largest) for e in exponents))


def _pair_as_logistic(exponents: list[sympy.Expr]) -> tuple[sympy.Expr, sympy.Expr]:
    """exp(a) + exp(b) = exp(a)*(1 + exp(b - a))."""
    a, b = exponents
    return a, 1 + sympy.exp(b - a)


def shifted_exp_sums(node: sympy.Expr) -> sympy.Expr | None:
    """Powers of sums of exponentials in a product with the largest exponent m taken out:
    exp(a)/(exp(a) + exp(b) + exp(c)) -> exp(a - m)/(exp(a - m) + exp(b - m) + exp(c - m)), m = Max(a, b, c);
    a sum of two exponentials as a sigmoid: exp(a)/(exp(a) + exp(b)) -> 1/(1 + exp(b - a))."""
    if not isinstance(node, (sympy.Mul, sympy.Pow)):
        return None
    exponents, sums, rest = _split_exp_sums(sympy.Mul.make_args(node))
    if not sums:
        return None
    as_sigmoids = _take_out_largest(exponents, sums, rest, pairs_as_sigmoids=True)
    found = as_logistic(as_sigmoids)
    if found is not None and found.a >= 0 and found.b >= 0 and found.a + found.b > 0:
        return stable_sigmoids(as_sigmoids) or as_sigmoids
    result = _take_out_largest(exponents, sums, rest, pairs_as_sigmoids=False)
    return result if result != node else None


def _split_exp_sums(factors: Sequence[sympy.Expr]) -> tuple[list, list, list]:
    """(exponents of the exp factors, (exponents, power) of the sums of exponentials to shift, other factors).
    Shifted are the sums in denominators (other than 1 + exp(w)) and those in numerators that shift into a
    denominator beside them (softmax's S*exp(-a)/S'**2). A shifted sum whose shift stands beside it,
    exp(-n*m)/(exp(a - m) + ...)**n (a rewritten 1/(exp(a) + ...)**n inside a larger product), counts as the
    sum it came from."""
    exponents = [f.args[0] for f in factors if isinstance(f, sympy.exp)]
    powered = [integer_power(f) if not isinstance(f, sympy.exp) else None for f in factors]
    sums_of = [exp_sum(p[0]) if p and one_plus_exp(p[0]) is None else None for p in powered]
    shifted = {p[0] for p, terms in zip(powered, sums_of)
               if p is not None and terms and p[1] < 0 and shift_of(terms) is not None}  # terms only where p
    sums, rest = [], []
    for factor, power, terms in zip(factors, powered, sums_of):
        largest = shift_of(terms) if terms is not None else None
        if isinstance(factor, sympy.exp):
            continue
        if terms is None or power is None:  # power is None only where terms is
            rest.append(factor)
        elif largest is None and (power[1] < 0 or _shift(terms)[1] in shifted):
            sums.append((terms, power[1]))
        elif largest is not None and power[1] * largest in exponents:
            exponents.remove(power[1] * largest)
            sums.append(([sympy.expand_mul(e + largest) for e in terms], power[1]))
        else:
            rest.append(factor)
    return exponents, sums, rest


def _take_out_largest(exponents: list[sympy.Expr], sums: list, rest: list[sympy.Expr],
                      pairs_as_sigmoids: bool) -> sympy.Expr:
    taken, factors, shifts = sympy.S.Zero, list(rest), []
    for terms, power in sums:
        if pairs_as_sigmoids and len(terms) == 2 and all(not e.is_number for e in terms):
            outside, inside = _pair_as_logistic(terms)
        else:
            outside, inside = _shift(terms)
            shifts += [outside] * max(-power, 0)
        taken += power * outside
        factors.append(inside ** power)
    if len(set(shifts)) == 1 and len(shifts) == len(exponents) and taken == -sum(shifts):
        factors += [sympy.exp(e - m) for e, m in zip(exponents, shifts)]  # exp(a - m)*exp(b - m): no overflow
    else:
        factors.append(sympy.exp(sympy.Add(*exponents) + taken))
    return sympy.Mul(*factors)


def over_common_denominator(node: sympy.Expr) -> sympy.Expr | None:
    """Terms over powers of one sum of exponentials D, and the constants beside them, as one fraction when its
    numerator loses terms and keeps one sign: softmax - 1 -> -(exp(b - m) + exp(c - m))/D, 1 - sigmoid(u) ->
    sigmoid(-u), s - s**2 -> exp(a - m)*(exp(b - m) + exp(c - m))/D**2."""
    if not isinstance(node, sympy.Add) or len(node.args) > MAX_SUM_TERMS:
        return None
    by_denominator: dict[sympy.Expr, list[tuple[sympy.Expr, int]]] = {}
    for term in node.args:
        for factor in sympy.Mul.make_args(term):
            powered = integer_power(factor)
            if powered and powered[1] < 0 and exp_sum(powered[0]) is not None:
                by_denominator.setdefault(powered[0], []).append((term, -powered[1]))
                break
    constants = [t for t in node.args if t.is_number]
    for denominator, fractions in by_denominator.items():
        if len(fractions) + len(constants) < 2:
            continue
        combined = _combined(denominator, fractions + [(c, 0) for c in constants])
        if combined is not None:
            used = {t for t, _ in fractions} | set(constants)
            return sympy.Add(*(t for t in node.args if t not in used), combined)
    return None


def _expand(expr: sympy.Expr) -> sympy.Expr:
    """Products and integer powers of sums multiplied out; exp(a + b) stays whole."""
    return sympy.expand(expr, deep=False, power_exp=False, power_base=False, log=False)


def _combined(denominator: sympy.Expr, fractions: list[tuple[sympy.Expr, int]]) -> sympy.Expr | None:
    power = max(k for _, k in fractions)
    if len(denominator.args) ** power > MAX_EXPANDED_TERMS:
        return None
    parts = [_expand(term * denominator ** power) for term, _ in fractions]
    numerator = _expand(sympy.Add(*parts))
    before = sum(len(sympy.Add.make_args(p)) for p in parts)
    terms = sympy.Add.make_args(numerator)
    if len(terms) >= before or len({t.could_extract_minus_sign() for t in terms}) > 1:
        return None
    result = sympy.factor_terms(numerator) / denominator ** power
    return stable_sigmoids(result) or result


# ---------------------------------------------------------------------------------------------- logarithms
def stable_log(node: sympy.Expr) -> sympy.Expr | None:
    """log(1 + exp(u)) -> softplus(u), log(sum of exp) -> max-shifted logsumexp, log of a product of such sums,
    sigmoids and exponentials -> sums of those (log(sigmoid(u)) = -softplus(-u), -log(softmax_a) =
    logsumexp(0, b - a, c - a)), log(cosh(u)) -> log_cosh(u)."""
    if isinstance(node, log1p):
        return _log_of_sum(1 + node.args[0])
    if not isinstance(node, sympy.log):
        return None
    argument = node.args[0]
    if isinstance(argument, sympy.cosh):
        return log_cosh(argument.args[0])
    if isinstance(argument, (sympy.Mul, sympy.Pow)):
        return _log_of_product(argument)
    return _log_of_sum(argument)


def _log_of_sum(argument: sympy.Expr) -> sympy.Expr | None:
    if not isinstance(argument, sympy.Add) or len(argument.args) > MAX_SUM_TERMS:
        return None
    weighted = [weighted_exponent(t) for t in argument.args]
    exponents = [e for e in weighted if e is not None]
    if len(exponents) != len(weighted) or all(e.is_number for e in exponents):
        return None
    if shift_of(exponents) is not None:
        return None
    return logsumexp(exponents)


def _log_of_product(argument: sympy.Expr) -> sympy.Expr | None:
    """log(exp(E)*rest/D**k) = -k*logsumexp(e - E/k for the exponents e of D) + log(rest) for one sum of
    exponentials D in the denominator (E and the logsumexp would cancel: -log(softmax)); otherwise each sum its
    own logsumexp, plus E."""
    exponents, sums, rest = split_factors(argument, exp_sum)
    if not sums:
        return None
    outside = sympy.Add(*exponents)
    logs = [sympy.log(sympy.Mul(*rest))] if rest else []
    if len(sums) == 1 and sums[0][1] < 0:
        terms, power = sums[0]
        logs.append(power * logsumexp([e + outside / power for e in terms]))
    else:
        logs += [power * logsumexp(terms) for terms, power in sums] + [outside]
    return sympy.Add(*logs)


def written_out_log_cosh(node: sympy.Expr) -> sympy.Expr | None:
    """|u| + log1p(exp(-2|u|)) - log(2) (log-cosh without overflow, which cancels near 0; its log1p may have
    become softplus(-2|u|) already) -> log_cosh(u)."""
    if not isinstance(node, sympy.Add) or -sympy.log(2) not in node.args:
        return None
    for term in node.args:
        if not isinstance(term, sympy.Abs):
            continue
        for tail in (log1p(sympy.exp(-2 * term)), softplus(-2 * term)):
            if tail in node.args:
                rest = [t for t in node.args if t not in (term, tail, -sympy.log(2))]
                return sympy.Add(*rest, log_cosh(term.args[0]))
    return None


def _logsumexps(terms: Sequence[sympy.Expr]):
    """(exponents, the terms that are their logsumexp) for each logsumexp among the terms of a sum: m + log(sum
    of exp(e - m)) with m = Max(...), Max(a, b) + softplus(-|a - b|), and softplus(w) (of 0 and w, or of 0 and
    the exponents of w when w is one of these)."""
    for term in terms:
        summed = exp_sum(term.args[0]) if isinstance(term, sympy.log) else None
        largest = shift_of(summed) if summed else None
        if largest is not None and largest in terms:
            yield largest.args, (largest, term)
    for term in terms:
        if isinstance(term, sympy.Max) and len(term.args) == 2:
            a, b = term.args
            tail = softplus(-sympy.Abs(a - b))
            if tail in terms:
                yield (a, b), (term, tail)
    for term in terms:
        if isinstance(term, softplus):
            inside = sympy.Add.make_args(term.args[0])
            nested = [e for e, used in _logsumexps(inside) if len(used) == len(inside)]
            yield (sympy.S.Zero, *(nested[0] if nested else (term.args[0],))), (term,)


def _term_count(expr: sympy.Expr) -> int:
    return 0 if expr == 0 else len(sympy.Add.make_args(expr))


def logsumexp_minus_exponent(node: sympy.Expr) -> sympy.Expr | None:
    """logsumexp(a, b, c) - a -> logsumexp(0, b - a, c - a) = softplus(logsumexp(b - a, c - a)) (cross-entropy
    from logits: the logsumexp and a are close when a is the largest), softplus(u) - u -> softplus(-u)."""
    if not isinstance(node, sympy.Add) or len(node.args) > MAX_SUM_TERMS:
        return None
    for exponents, used in _logsumexps(node.args):
        rest = [t for t in node.args if t not in used]
        for e in exponents:
            if e == 0:
                continue
            remaining = sympy.Add(*rest) + e
            if _term_count(remaining) <= len(rest) - _term_count(e):
                return remaining + logsumexp([other - e for other in exponents])
    return None


# ---------------------------------------------------------------------------------------------- pairs of terms
def _constant_beside(node: sympy.Add, function: type[sympy.Function], power: int = 1):
    """(c, k, u, term) for a term c*function(u)**power of the sum and its constant term k."""
    constant, _ = node.as_coeff_Add()
    if constant == 0:
        return
    for term in node.args:
        c, rest = term.as_coeff_Mul()
        base, exponent = rest.as_base_exp()
        if isinstance(base, function) and exponent == power and c.is_number:
            yield c, constant, base.args[0], term


def complementary_erf(node: sympy.Expr) -> sympy.Expr | None:
    """c + c*erf(u) -> c*erfc(-u) and c - c*erf(u) -> c*erfc(u): no cancellation in the tail."""
    if not isinstance(node, sympy.Add):
        return None
    for c, constant, u, term in _constant_beside(node, sympy.erf):
        if constant in (c, -c):
            return node - term - constant + constant * erfc(-u if constant == c else u)
    return None


def tanh_as_sigmoid(node: sympy.Expr) -> sympy.Expr | None:
    """c + c*tanh(u) -> 2*c/(1 + exp(-2*u)) and c - c*tanh(u) -> 2*c/(1 + exp(2*u))."""
    if not isinstance(node, sympy.Add):
        return None
    for c, constant, u, term in _constant_beside(node, sympy.tanh):
        if constant in (c, -c):
            return node - term - constant + 2 * constant * sigmoid(2 * u if constant == c else -2 * u)
    return None


def tanh_derivative(node: sympy.Expr) -> sympy.Expr | None:
    """c - c*tanh(u)**2 -> c/cosh(u)**2, which neither cancels nor overflows."""
    if not isinstance(node, sympy.Add):
        return None
    for c, constant, u, term in _constant_beside(node, sympy.tanh, 2):
        if constant == -c:
            return node - term - constant + constant / sympy.cosh(u) ** 2
    return None


def softplus_difference(node: sympy.Expr) -> sympy.Expr | None:
    """c*softplus(u) - c*softplus(-u) -> c*u."""
    if not isinstance(node, sympy.Add):
        return None
    found = []
    for term in node.args:
        for factor in sympy.Mul.make_args(term):
            if isinstance(factor, softplus):
                found.append((term, term / factor, factor.args[0]))
                break
    for term, c, u in found:
        for other, d, w in found:
            if d == -c and sympy.expand_mul(u + w) == 0:
                return node - term - other + c * u
    return None


def hyperbolic_ratio(node: sympy.Expr) -> sympy.Expr | None:
    """sinh(u)**k/cosh(u)**n with n >= k > 0 -> tanh(u)**k/cosh(u)**(n - k): sinh(u)/cosh(u)**2 (sech's slope) is
    inf/inf far out, tanh(u)/cosh(u) is 0 there."""
    if not isinstance(node, sympy.Mul):
        return None
    factors = list(node.args)
    for factor in factors:
        base, power = factor.as_base_exp()
        if not (isinstance(base, sympy.sinh) and power.is_Integer and power > 0):
            continue
        for other in factors:
            below, negative = other.as_base_exp()
            if below == sympy.cosh(base.args[0]) and negative.is_Integer and negative <= -power:
                rest = [f for f in factors if f not in (factor, other)]
                return sympy.Mul(*rest, sympy.tanh(base.args[0]) ** power, below ** (negative + power))
    return None


def log_of_special(node: sympy.Expr) -> sympy.Expr | None:
    """log(gamma(u)) and log(beta(a, b)), also of their magnitudes, as loggamma(u) and betaln(a, b): gamma
    overflows past 171.6 and beta underflows long before their logs leave float64's range."""
    if not isinstance(node, sympy.log):
        return None
    inner = node.args[0].args[0] if isinstance(node.args[0], sympy.Abs) else node.args[0]
    if isinstance(inner, sympy.gamma):
        return loggamma(inner.args[0])
    if isinstance(inner, sympy.beta) and len(inner.args) == 2:
        return betaln(*inner.args)
    return None


def hypot_of_squares(node: sympy.Expr) -> sympy.Expr | None:
    """sqrt(u**2 + v**2) (v**2 also a positive number) as hypot(u, v), and its reciprocal: the squares overflow
    past 1.3e154 and underflow below 1.5e-154, where the root does not."""
    if not (isinstance(node, sympy.Pow) and abs(node.exp) == sympy.S.Half and isinstance(node.base, sympy.Add)
            and len(node.base.args) == 2):
        return None
    roots = []
    for term in node.base.args:
        if isinstance(term, sympy.Pow) and term.exp == 2:
            roots.append(term.base)
        elif term.is_Number and term.is_positive:
            roots.append(sympy.sqrt(term))
        else:
            return None
    return hypot(*roots) ** (2 * node.exp)


RULES = (stable_log, log_of_special, hypot_of_squares, written_out_log_cosh, logsumexp_minus_exponent,
         hyperbolic_ratio, shifted_exp_sums, stable_sigmoids, complementary_erf, tanh_as_sigmoid, tanh_derivative,
         softplus_difference, over_common_denominator, combined_sigmoids)
