/* MES with points (Additive_Cardinal_Sat, `mes-points`) in floats that only choose: every
 * budget is kept as an interval [lo, hi] that holds the exact one, every rho as an interval
 * proven to hold the exact rho, so a round whose best candidate is separated from all others
 * is decided here; any other round (an exact tie, a candidate that may or may not be
 * affordable) is handed to Python (mes/points_core.py), which decides it exactly. Part of the
 * `_mescore` extension (_mescore.c lists its functions; setup.py builds it).
 *
 * Why the intervals hold. F(rho) = sum_i w_i min(B_i, rho u_i) is nondecreasing in rho and
 * nondecreasing in every budget B_i, and the exact rho is the smallest root of F(rho) = cost.
 * With F_hi built on the upper budgets and F_lo on the lower ones, F_lo <= F <= F_hi, so
 * F_hi(x) < cost_lo proves rho > x and F_lo(y) >= cost_hi proves rho <= y. Each of these
 * sums is computed with every operation rounded outward (up() and down() move a result past
 * half an ulp), so the tests are rigorous whatever the walk that proposed x and y did. The
 * payment min(B, rho u) leaves B' = max(0, B - rho u), monotone in B and rho: the new budget
 * interval follows from the old one and rho's.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../_mescore.h"

#define EPS 0x1p-52
#define TINY 0x1p-1022
#define EXACT_INTS 9007199254740992.0     /* 2**53: ints below it are exact doubles */

static inline double up(double x) { return x + (fabs(x) * EPS + TINY); }
static inline double down(double x) { return x - (fabs(x) * EPS + TINY); }

const char mescore_points_board_doc[] =
"points_board(groups, candidates, nprojects) -> (cstart, cgroups, cpoints, weight, utility)\n\n"
"The arrays points_rounds reads, from a cardinal profile's groups (members, points, count):\n"
"candidates are project indices, increasing, numbered 0..n-1 in that order. Each candidate's\n"
"supporters are the groups giving it > 0 points, in group order: cstart (int64, n + 1),\n"
"cgroups (int32), cpoints (float64, their points); weight (float64, per group, its voters);\n"
"utility (float64, per candidate, sum of voters x points). All bytearrays. LookupError when a\n"
"point is not an int, or a count, a point or a candidate's utility is 2**53 or more (floats\n"
"would not hold them exactly); ValueError on a malformed group or index.";

static int small_int(PyObject *obj, int64_t *value)
{
    if (!PyLong_CheckExact(obj))
        return -1;
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (overflow || v >= (long long)EXACT_INTS || v <= -(long long)EXACT_INTS)
        return -1;
    *value = v;
    return 0;
}

PyObject *mescore_points_board(PyObject *self, PyObject *args)
{
    PyObject *groups, *candidates;
    Py_ssize_t nprojects;
    if (!PyArg_ParseTuple(args, "O!O!n", &PyTuple_Type, &groups, &PyList_Type, &candidates,
                          &nprojects))
        return NULL;
    Py_ssize_t ngroups = PyTuple_GET_SIZE(groups), n = PyList_GET_SIZE(candidates);
    if (nprojects < 0 || ngroups >= INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "points board: bad sizes");
        return NULL;
    }
    PyObject *cstart = NULL, *cgroups = NULL, *cpoints = NULL, *weight = NULL, *utility = NULL;
    PyObject *result = NULL;
    int32_t *slot = PyMem_Malloc((nprojects + 1) * sizeof(int32_t));
    int64_t *next = PyMem_Malloc((n + 1) * sizeof(int64_t));
    int64_t *util = PyMem_Calloc(n + 1, sizeof(int64_t));
    if (!slot || !next || !util) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t p = 0; p < nprojects; p++)
        slot[p] = -1;
    Py_ssize_t previous = -1;
    for (Py_ssize_t c = 0; c < n; c++) {
        Py_ssize_t p = PyLong_AsSsize_t(PyList_GET_ITEM(candidates, c));
        if (p <= previous || p >= nprojects) {
            PyErr_Clear();
            PyErr_SetString(PyExc_ValueError, "points board: candidates must increase");
            goto done;
        }
        slot[p] = (int32_t)c;
        previous = p;
    }
    cstart = PyByteArray_FromStringAndSize(NULL, (n + 1) * 8);
    weight = PyByteArray_FromStringAndSize(NULL, ngroups * 8);
    if (!cstart || !weight)
        goto done;
    int64_t *cs = (int64_t *)PyByteArray_AS_STRING(cstart);
    double *wt = (double *)PyByteArray_AS_STRING(weight);
    memset(cs, 0, (n + 1) * 8);
    for (int pass = 0; pass < 2; pass++) {       /* count, then fill */
        int32_t *cg = pass ? (int32_t *)PyByteArray_AS_STRING(cgroups) : NULL;
        double *cp = pass ? (double *)PyByteArray_AS_STRING(cpoints) : NULL;
        for (Py_ssize_t g = 0; g < ngroups; g++) {
            PyObject *group = PyTuple_GET_ITEM(groups, g);
            if (!PyTuple_Check(group) || PyTuple_GET_SIZE(group) != 3)
                goto malformed;
            PyObject *members = PyTuple_GET_ITEM(group, 0), *points = PyTuple_GET_ITEM(group, 1);
            int64_t count;
            if (!PyTuple_Check(members) || !PyTuple_Check(points)
                    || PyTuple_GET_SIZE(members) != PyTuple_GET_SIZE(points))
                goto malformed;
            if (small_int(PyTuple_GET_ITEM(group, 2), &count) < 0 || count < 0)
                goto inexact;
            wt[g] = (double)count;
            for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(members); k++) {
                int64_t pts;
                Py_ssize_t p = PyLong_AsSsize_t(PyTuple_GET_ITEM(members, k));
                if (p < 0 || p >= nprojects) {
                    PyErr_Clear();
                    goto malformed;
                }
                if (small_int(PyTuple_GET_ITEM(points, k), &pts) < 0)
                    goto inexact;
                int32_t c = slot[p];
                if (pts <= 0 || c < 0)
                    continue;
                if (!pass) {
                    int64_t product;
                    cs[c + 1]++;
                    if (__builtin_mul_overflow(count, pts, &product)
                            || __builtin_add_overflow(util[c], product, &util[c])
                            || util[c] >= (int64_t)EXACT_INTS)
                        goto inexact;
                } else {
                    cg[next[c]] = (int32_t)g;
                    cp[next[c]++] = (double)pts;
                }
            }
        }
        if (!pass) {
            for (Py_ssize_t c = 0; c < n; c++)
                cs[c + 1] += cs[c];
            memcpy(next, cs, n * 8);
            cgroups = PyByteArray_FromStringAndSize(NULL, cs[n] * 4);
            cpoints = PyByteArray_FromStringAndSize(NULL, cs[n] * 8);
            utility = PyByteArray_FromStringAndSize(NULL, n * 8);
            if (!cgroups || !cpoints || !utility)
                goto done;
            double *ut = (double *)PyByteArray_AS_STRING(utility);
            for (Py_ssize_t c = 0; c < n; c++)
                ut[c] = (double)util[c];
        }
    }
    result = PyTuple_Pack(5, cstart, cgroups, cpoints, weight, utility);
    goto done;
malformed:
    PyErr_SetString(PyExc_ValueError, "points board: a group must be (members, points, count)");
    goto done;
inexact:
    PyErr_SetString(PyExc_LookupError, "points board: points or counts not exact in floats");
done:
    PyMem_Free(slot);
    PyMem_Free(next);
    PyMem_Free(util);
    Py_XDECREF(cstart);
    Py_XDECREF(cgroups);
    Py_XDECREF(cpoints);
    Py_XDECREF(weight);
    Py_XDECREF(utility);
    return result;
}

typedef struct {
    const int64_t *cstart;
    const int32_t *cgroups;
    const double *cpoints, *weight, *utility, *cost_lo, *cost_hi;
    double *blo, *bhi, *bound;
    int8_t *status;
    Py_ssize_t n, ngroups;
    double *key;            /* scratch, per supporter: budget / points */
    int32_t *order;         /* scratch: supporters sorted by key */
} Board;

enum { LIVE = 0, FUNDED = 1, DEAD = 2 };

static const double *sort_keys;

static int by_key(const void *a, const void *b)
{
    double x = sort_keys[*(const int32_t *)a], y = sort_keys[*(const int32_t *)b];
    return (x > y) - (x < y);
}

/* The float walk of MES over the budgets b: the smallest rho with sum min(b_i, rho u_i) = target
 * as floats find it (no guarantee: only a proposal), or inf if the supporters cannot pay.
 * sort: order the supporters by b / u first (else the order of the last walk is taken). */
static double walk(Board *bd, Py_ssize_t c, const double *b, double target, int sort)
{
    int64_t first = bd->cstart[c], size = bd->cstart[c + 1] - first;
    if (sort) {
        for (int64_t k = 0; k < size; k++) {
            bd->key[k] = b[bd->cgroups[first + k]] / bd->cpoints[first + k];
            bd->order[k] = (int32_t)k;
        }
        sort_keys = bd->key;
        qsort(bd->order, size, sizeof(int32_t), by_key);
    }
    double remaining = target, util = bd->utility[c];
    for (int64_t k = 0; k < size; k++) {
        int64_t i = first + bd->order[k];
        int32_t g = bd->cgroups[i];
        double u = bd->cpoints[i], w = bd->weight[g];
        double rho = remaining / util;
        if (rho * u <= b[g])
            return rho;
        remaining -= w * b[g];
        util -= w * u;
        if (util <= 0)
            break;
    }
    return INFINITY;
}

/* sum_i w_i min(b_i, x u_i) rounded up (upper = 1, on the upper budgets) or down. */
static double payable(Board *bd, Py_ssize_t c, double x, int upper)
{
    const double *b = upper ? bd->bhi : bd->blo;
    double sum = 0;
    for (int64_t i = bd->cstart[c]; i < bd->cstart[c + 1]; i++) {
        int32_t g = bd->cgroups[i];
        double w = bd->weight[g];
        if (upper) {
            double share = up(x * bd->cpoints[i]);
            sum = up(sum + up(w * (share < b[g] ? share : b[g])));
        } else {
            double share = down(x * bd->cpoints[i]);
            if (share < 0)
                share = 0;
            double term = down(w * (share < b[g] ? share : b[g]));
            sum = down(sum + (term > 0 ? term : 0));
        }
    }
    return sum;
}

/* Candidate c's rho as a proven interval [*lo, *hi] (*hi = inf when it may be unaffordable).
 * Returns DEAD when its supporters surely cannot pay it, LIVE otherwise. */
static int evaluate(Board *bd, Py_ssize_t c, double *lo, double *hi)
{
    static const double widen[] = {0, 0x1p-30, 0x1p-12, 0x1p-4};
    double clo = bd->cost_lo[c], chi = bd->cost_hi[c];
    double all = payable(bd, c, INFINITY, 1);
    if (all < clo)
        return DEAD;
    int64_t size = bd->cstart[c + 1] - bd->cstart[c];
    double slack = (4.0 * (double)size + 16.0) * EPS;
    *lo = 0;
    double r = walk(bd, c, bd->bhi, clo, 1);
    for (int t = 0; t < 4 && isfinite(r); t++) {
        double x = r * (1 - slack - widen[t]);
        if (payable(bd, c, x, 1) < clo) {
            *lo = x;
            break;
        }
    }
    *hi = INFINITY;
    r = walk(bd, c, bd->blo, chi, 0);     /* nearly the same order */
    for (int t = 0; t < 4 && isfinite(r); t++) {
        double y = r * (1 + slack + widen[t]);
        if (payable(bd, c, y, 0) >= chi) {
            *hi = y;
            break;
        }
    }
    return LIVE;
}

static void fund(Board *bd, Py_ssize_t c, double lo, double hi)
{
    for (int64_t i = bd->cstart[c]; i < bd->cstart[c + 1]; i++) {
        int32_t g = bd->cgroups[i];
        double u = bd->cpoints[i];
        double a = down(bd->blo[g] - up(hi * u)), b = up(bd->bhi[g] - down(lo * u));
        bd->blo[g] = a > 0 ? a : 0;
        bd->bhi[g] = b > 0 ? b : 0;
    }
    bd->status[c] = FUNDED;
}

static const double *sort_bounds;

static int by_int(const void *a, const void *b)
{
    int32_t i = *(const int32_t *)a, j = *(const int32_t *)b;
    return (i > j) - (i < j);
}

static int by_bound(const void *a, const void *b)
{
    int32_t i = *(const int32_t *)a, j = *(const int32_t *)b;
    double x = sort_bounds[i], y = sort_bounds[j];
    return x < y ? -1 : x > y ? 1 : (i > j) - (i < j);
}

const char mescore_points_rounds_doc[] =
"points_rounds(cstart, cgroups, cpoints, weight, utility, cost_lo, cost_hi, blo, bhi, bound,\n"
"              status) -> (winners, near)\n\n"
"MES rounds with points (points_board's first five arrays). cost_lo, cost_hi (float64, per\n"
"candidate): bounds of its exact cost; blo, bhi (float64, per group): bounds of each voter's\n"
"exact budget in the group; bound (float64, per candidate): a lower bound of its rho, or 0;\n"
"status (int8, per candidate): 0 live, 1 funded, 2 dead. All but the first seven are updated\n"
"in place. Runs rounds while each has one candidate whose rho is proven the smallest; returns\n"
"the winners in order and, when a round is too close to call in floats, the candidates that\n"
"may win it (in increasing order; nothing of that round is done), else an empty list: the\n"
"run is over. ValueError on inconsistent arrays.";

#define NBUF 11

PyObject *mescore_points_rounds(PyObject *self, PyObject *args)
{
    PyObject *objs[NBUF];
    if (!PyArg_ParseTuple(args, "OOOOOOOOOOO", &objs[0], &objs[1], &objs[2], &objs[3],
                          &objs[4], &objs[5], &objs[6], &objs[7], &objs[8], &objs[9], &objs[10]))
        return NULL;
    static const Py_ssize_t sizes[NBUF] = {8, 4, 8, 8, 8, 8, 8, 8, 8, 8, 1};
    Py_buffer views[NBUF];
    int got = 0;
    PyObject *result = NULL, *winners = NULL, *near = NULL;
    Board bd = {0};
    int32_t *live = NULL;
    double *his = NULL;
    while (got < NBUF) {
        if (PyObject_GetBuffer(objs[got], &views[got], PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0)
            goto done;
        got++;                          /* (released at the end, whatever follows) */
        if (views[got - 1].itemsize != 1 && views[got - 1].itemsize != sizes[got - 1])
            goto bad;
    }
    bd.cstart = views[0].buf;
    bd.cgroups = views[1].buf;
    bd.cpoints = views[2].buf;
    bd.weight = views[3].buf;
    bd.utility = views[4].buf;
    bd.cost_lo = views[5].buf;
    bd.cost_hi = views[6].buf;
    bd.blo = views[7].buf;
    bd.bhi = views[8].buf;
    bd.bound = views[9].buf;
    bd.status = views[10].buf;
    bd.n = views[4].len / 8;
    bd.ngroups = views[3].len / 8;
    Py_ssize_t n = bd.n, nsup = views[1].len / 4;
    if (views[0].len / 8 != n + 1 || views[2].len / 8 != nsup || views[5].len / 8 != n
            || views[6].len / 8 != n || views[7].len / 8 != bd.ngroups
            || views[8].len / 8 != bd.ngroups || views[9].len / 8 != n || views[10].len != n
            || bd.cstart[0] != 0 || bd.cstart[n] != nsup)
        goto bad;
    int64_t widest = 0;
    for (Py_ssize_t c = 0; c < n; c++) {
        if (bd.cstart[c] > bd.cstart[c + 1])
            goto bad;
        if (bd.cstart[c + 1] - bd.cstart[c] > widest)
            widest = bd.cstart[c + 1] - bd.cstart[c];
    }
    for (Py_ssize_t i = 0; i < nsup; i++)
        if (bd.cgroups[i] < 0 || bd.cgroups[i] >= bd.ngroups)
            goto bad;
    bd.key = PyMem_Malloc((widest + 1) * sizeof(double));
    bd.order = PyMem_Malloc((widest + 1) * sizeof(int32_t));
    live = PyMem_Malloc((n + 1) * sizeof(int32_t));
    his = PyMem_Malloc((n + 1) * sizeof(double));
    winners = PyList_New(0);
    near = PyList_New(0);
    if (!bd.key || !bd.order || !live || !his) {
        PyErr_NoMemory();
        goto done;
    }
    if (!winners || !near)
        goto done;
    for (Py_ssize_t c = 0; c < n; c++)         /* rho >= cost / utility: F(rho) <= rho U */
        if (bd.status[c] == LIVE && bd.bound[c] == 0 && bd.utility[c] > 0)
            bd.bound[c] = down(bd.cost_lo[c] / bd.utility[c]);
    for (;;) {
        Py_ssize_t nlive = 0;
        for (Py_ssize_t c = 0; c < n; c++)
            if (bd.status[c] == LIVE)
                live[nlive++] = (int32_t)c;
        sort_bounds = bd.bound;
        qsort(live, nlive, sizeof(int32_t), by_bound);
        double best = INFINITY;
        Py_ssize_t evaluated = 0, winner = -1;
        for (Py_ssize_t k = 0; k < nlive; k++) {
            int32_t c = live[k];
            if (bd.bound[c] > best)
                break;
            double lo, hi;
            if (evaluate(&bd, c, &lo, &hi) == DEAD) {
                bd.status[c] = DEAD;
                his[c] = -1;
                continue;
            }
            if (lo > bd.bound[c])
                bd.bound[c] = lo;
            his[c] = hi;
            live[evaluated++] = c;      /* (k >= evaluated: the order ahead is kept) */
            if (hi < best || winner < 0) {
                best = hi < best ? hi : best;
                winner = c;
            }
        }
        if (winner < 0)
            break;                      /* nothing affordable: the run is over */
        Py_ssize_t close = 0;
        for (Py_ssize_t k = 0; k < evaluated; k++)
            if (bd.bound[live[k]] <= best)
                close++;
        if (close > 1 || !isfinite(best)) {
            qsort(live, evaluated, sizeof(int32_t), by_int);
            for (Py_ssize_t k = 0; k < evaluated; k++) {
                if (bd.bound[live[k]] > best)
                    continue;
                PyObject *item = PyLong_FromSsize_t(live[k]);
                if (!item || PyList_Append(near, item) < 0) {
                    Py_XDECREF(item);
                    goto done;
                }
                Py_DECREF(item);
            }
            break;
        }
        fund(&bd, winner, bd.bound[winner], his[winner]);
        PyObject *item = PyLong_FromSsize_t(winner);
        if (!item || PyList_Append(winners, item) < 0) {
            Py_XDECREF(item);
            goto done;
        }
        Py_DECREF(item);
    }
    result = PyTuple_Pack(2, winners, near);
    goto done;
bad:
    PyErr_SetString(PyExc_ValueError, "points_rounds: inconsistent arrays");
done:
    Py_XDECREF(winners);
    Py_XDECREF(near);
    PyMem_Free(bd.key);
    PyMem_Free(bd.order);
    PyMem_Free(live);
    PyMem_Free(his);
    for (int i = 0; i < got; i++)
        PyBuffer_Release(&views[i]);
    return result;
}

/* ---- The exact replay: who paid what, in Python ints, for the explanation. ----
 *
 * Voters with the same budget are interchangeable, so budgets are kept as classes (one per
 * value: ints over one common denominator D, with the value's Fraction made once), each group
 * in one class. A round's supporters are taken per (class, points) pair, so the exact rho and
 * each payment are computed once per pair: rho by the order-free walk (start with nobody
 * capped; cap every pair that cannot pay its share at the current rho; repeat: rho only grows
 * and the capped set stays within the true one, so it stops at the smallest root, the rule's
 * rho). Same values as points.ScaledPointsState, which the tests compare with it. */

typedef struct {
    PyObject **value;       /* per class: its budget x D (a Python int) */
    PyObject **fraction;    /* per class: its Fraction, made when first needed */
    double *approx;         /* per class: its budget, correctly rounded */
    Py_ssize_t size, capacity;
} Classes;

static Py_ssize_t new_class(Classes *cls, PyObject *value, PyObject *scale)  /* steals value */
{
    if (cls->size == cls->capacity) {
        Py_ssize_t capacity = 2 * cls->capacity + 16;
        PyObject **v = PyMem_Realloc(cls->value, capacity * sizeof(PyObject *));
        if (v)
            cls->value = v;
        PyObject **f = v ? PyMem_Realloc(cls->fraction, capacity * sizeof(PyObject *)) : NULL;
        if (f)
            cls->fraction = f;
        double *a = f ? PyMem_Realloc(cls->approx, capacity * sizeof(double)) : NULL;
        if (a)
            cls->approx = a;
        if (!a) {
            Py_DECREF(value);
            PyErr_NoMemory();
            return -1;
        }
        cls->capacity = capacity;
    }
    PyObject *ratio = PyNumber_TrueDivide(value, scale);    /* int / int: correctly rounded */
    double approx = ratio ? PyFloat_AsDouble(ratio) : -1;
    Py_XDECREF(ratio);
    if (!ratio) {
        Py_DECREF(value);
        return -1;
    }
    cls->value[cls->size] = value;
    cls->fraction[cls->size] = NULL;
    cls->approx[cls->size] = approx;
    return cls->size++;
}

static PyObject *class_fraction(Classes *cls, Py_ssize_t c, PyObject *fraction_type,
                                PyObject *scale)
{
    if (!cls->fraction[c])
        cls->fraction[c] = PyObject_CallFunctionObjArgs(fraction_type, cls->value[c], scale,
                                                        NULL);
    return cls->fraction[c];
}

/* a * b for Python ints, b a C int64 */
static PyObject *times(PyObject *a, int64_t b)
{
    PyObject *factor = PyLong_FromLongLong(b);
    if (!factor)
        return NULL;
    PyObject *product = PyNumber_Multiply(a, factor);
    Py_DECREF(factor);
    return product;
}

/* *target = *target op value (steals nothing; replaces the reference in *target) */
static int update(PyObject **target, PyObject *value, PyObject *(*op)(PyObject *, PyObject *))
{
    PyObject *result = op(*target, value);
    if (!result)
        return -1;
    Py_SETREF(*target, result);
    return 0;
}

typedef struct {
    Py_ssize_t cls, after;
    int64_t u, w;
    int capped;
    PyObject *paid;
    PyObject *first;        /* the pair's first payer dict, copied for the others */
    int64_t first_w;        /* its voters */
} Pair;


/* value x a < b x c for Python ints value, b and C int64 a, c; -1 on error */
static int exact_less(PyObject *value, int64_t a, PyObject *b, int64_t c)
{
    PyObject *left = times(value, a);
    PyObject *right = left ? times(b, c) : NULL;
    int less = right ? PyObject_RichCompareBool(left, right, Py_LT) : -1;
    Py_XDECREF(left);
    Py_XDECREF(right);
    return less;
}

static const double *pair_keys;

static int by_pair_key(const void *a, const void *b)
{
    double x = pair_keys[*(const Py_ssize_t *)a], y = pair_keys[*(const Py_ssize_t *)b];
    return (x > y) - (x < y);
}

/* The float walk over the pairs by budget / points: marks as capped the pairs before the
 * first that can pay its share. Returns 0 when it finds no such pair (no guess). */
static int guess_capped(Pair *pairs, Py_ssize_t npairs, Classes *cls, int64_t utility,
                        double cost, Py_ssize_t *order, double *keys)
{
    for (Py_ssize_t k = 0; k < npairs; k++) {
        keys[k] = cls->approx[pairs[k].cls] / (double)pairs[k].u;
        order[k] = k;
        pairs[k].capped = 0;
    }
    pair_keys = keys;
    qsort(order, npairs, sizeof(Py_ssize_t), by_pair_key);
    double remaining = cost, util = (double)utility;
    for (Py_ssize_t j = 0; j < npairs; j++) {
        Pair *pair = &pairs[order[j]];
        if (util <= 0)
            return 0;
        if (remaining / util * (double)pair->u <= cls->approx[pair->cls])
            return 1;
        pair->capped = 1;
        remaining -= (double)pair->w * cls->approx[pair->cls];
        util -= (double)(pair->w * pair->u);
    }
    return 0;
}

/* Whether rho = remaining / (utility x scale), from the guessed capped pairs, is the rule's:
 * every capped pair holds at most rho x u, every other at least (then F(rho) = cost, and rho
 * is its smallest root, some pair being uncapped). Floats settle the clear cases: a budget
 * and rho, each correctly rounded, differ by far more than their errors; the rest are
 * compared exactly. 1 yes, 0 no, -1 on error. */
static int guess_holds(Pair *pairs, Py_ssize_t npairs, Classes *cls, PyObject *remaining,
                       int64_t utility, PyObject *scale)
{
    PyObject *whole = times(scale, utility);
    PyObject *ratio = whole ? PyNumber_TrueDivide(remaining, whole) : NULL;
    Py_XDECREF(whole);
    if (!ratio)
        return -1;
    double rho = PyFloat_AsDouble(ratio);
    Py_DECREF(ratio);
    for (Py_ssize_t k = 0; k < npairs; k++) {
        double budget = cls->approx[pairs[k].cls], share = rho * (double)pairs[k].u;
        if (pairs[k].capped ? budget < share * (1 - 0x1p-40) : budget > share * (1 + 0x1p-40))
            continue;
        /* exactly: capped needs value x utility <= remaining x u, uncapped >= */
        int less = exact_less(cls->value[pairs[k].cls], utility, remaining, pairs[k].u);
        if (less < 0)
            return -1;
        if (!pairs[k].capped && less)
            return 0;
        if (pairs[k].capped && !less) {
            int more = exact_less(remaining, pairs[k].u, cls->value[pairs[k].cls], utility);
            if (more != 0)
                return more < 0 ? -1 : 0;
        }
    }
    return 1;
}

const char mescore_points_replay_doc[] =
"points_replay(cstart, cgroups, cpoints, weight, winners, cost_num, cost_den, cost_float,\n"
"              start, scale, left_out, fraction_type) -> (rounds, available, supporters)\n\n"
"The exact rounds of a mes-points run whose winners (project indices, in order) are known,\n"
"on points_board's arrays (a slot per project). cost_num, cost_den, cost_float: per project,\n"
"its cost's numerator and denominator, and the cost as a float (a guess only); scale: a common multiple of the voter budget's denominator and\n"
"the winners' cost denominators; start: the voter budget x scale. rounds: per winner\n"
"{'project', 'price_per_point', 'payers': [{'voters', 'points', 'budget_before', 'paid'}]},\n"
"as the exact state records them; available, supporters: per project of left_out, what its\n"
"supporters hold at the end (a Fraction) and how many they are. ValueError when a winner is\n"
"not affordable.";

PyObject *mescore_points_replay(PyObject *self, PyObject *args)
{
    PyObject *objs[4], *winners, *cost_num, *cost_den, *cost_float, *start, *scale, *left_out;
    PyObject *fraction_type;
    if (!PyArg_ParseTuple(args, "OOOOO!O!O!O!O!O!O!O", &objs[0], &objs[1], &objs[2], &objs[3],
                          &PyList_Type, &winners, &PyList_Type, &cost_num, &PyList_Type,
                          &cost_den, &PyList_Type, &cost_float, &PyLong_Type, &start,
                          &PyLong_Type, &scale, &PyList_Type, &left_out, &fraction_type))
        return NULL;
    static const Py_ssize_t sizes[4] = {8, 4, 8, 8};
    Py_buffer views[4];
    int got = 0;
    Classes cls = {NULL, NULL, NULL, 0, 0};
    Pair *pairs = NULL;
    Py_ssize_t *table = NULL, *class_of = NULL, *pair_of = NULL, *order = NULL;
    double *keys = NULL;
    PyObject *rounds = NULL, *available = NULL, *supporters = NULL, *result = NULL;
    PyObject *gcd = NULL, *zero = NULL, *rho_num = NULL, *rho_den = NULL, *remaining = NULL;
    PyObject *price = NULL, *k_voters = NULL, *k_points = NULL, *k_before = NULL;
    PyObject *k_paid = NULL, *k_project = NULL, *k_price = NULL, *k_payers = NULL;
    Py_ssize_t npairs = 0;
    PyObject *paid_by_points = NULL;
    Py_INCREF(scale);
    while (got < 4) {
        if (PyObject_GetBuffer(objs[got], &views[got], PyBUF_C_CONTIGUOUS) < 0)
            goto done;
        got++;                          /* (released at the end, whatever follows) */
        if (views[got - 1].len % sizes[got - 1])
            goto bad;
    }
    const int64_t *cstart = views[0].buf;
    const int32_t *cgroups = views[1].buf;
    const double *cpoints = views[2].buf, *weight = views[3].buf;
    Py_ssize_t n = views[0].len / 8 - 1, ngroups = views[3].len / 8;
    if (n < 0 || PyList_GET_SIZE(cost_num) != n || PyList_GET_SIZE(cost_den) != n
            || PyList_GET_SIZE(cost_float) != n || cstart[0] != 0
            || views[1].len / 4 != cstart[n] || views[2].len / 8 != cstart[n])
        goto bad;
    int64_t widest = 0;
    for (Py_ssize_t p = 0; p < n; p++) {
        if (cstart[p] > cstart[p + 1])
            goto bad;
        if (cstart[p + 1] - cstart[p] > widest)
            widest = cstart[p + 1] - cstart[p];
    }
    for (int64_t i = 0; i < cstart[n]; i++)
        if (cgroups[i] < 0 || cgroups[i] >= ngroups)
            goto bad;
    Py_ssize_t tsize = 1;
    while (tsize < 2 * widest + 2)
        tsize *= 2;
    pairs = PyMem_Malloc((widest + 1) * sizeof(Pair));
    table = PyMem_Malloc(tsize * sizeof(Py_ssize_t));
    class_of = PyMem_Calloc(ngroups + 1, sizeof(Py_ssize_t));
    pair_of = PyMem_Malloc((widest + 1) * sizeof(Py_ssize_t));
    order = PyMem_Malloc((widest + 1) * sizeof(Py_ssize_t));
    keys = PyMem_Malloc((widest + 1) * sizeof(double));
    PyObject *math = PyImport_ImportModule("math");
    if (math) {
        gcd = PyObject_GetAttrString(math, "gcd");
        Py_DECREF(math);
    }
    zero = PyLong_FromLong(0);
    k_voters = PyUnicode_InternFromString("voters");
    k_points = PyUnicode_InternFromString("points");
    k_before = PyUnicode_InternFromString("budget_before");
    k_paid = PyUnicode_InternFromString("paid");
    k_project = PyUnicode_InternFromString("project");
    k_price = PyUnicode_InternFromString("price_per_point");
    k_payers = PyUnicode_InternFromString("payers");
    rounds = PyList_New(0);
    if (!pairs || !table || !class_of || !pair_of || !order || !keys) {
        PyErr_NoMemory();
        goto done;
    }
    if (!gcd || !zero || !k_voters || !k_points || !k_before || !k_paid || !k_project
            || !k_price || !k_payers || !rounds)
        goto done;
    Py_INCREF(zero);
    if (new_class(&cls, zero, scale) != 0)                 /* class 0: drained */
        goto done;
    Py_INCREF(start);
    if (new_class(&cls, start, scale) != 1)                /* class 1: every group at the start */
        goto done;
    for (Py_ssize_t g = 0; g < ngroups; g++)
        class_of[g] = 1;
    for (Py_ssize_t r = 0; r < PyList_GET_SIZE(winners); r++) {
        Py_ssize_t p = PyLong_AsSsize_t(PyList_GET_ITEM(winners, r));
        if (p < 0 || p >= n) {
            PyErr_Clear();
            goto bad;
        }
        /* the supporters per (class, points) pair */
        npairs = 0;
        int64_t utility = 0;
        for (Py_ssize_t t = 0; t < tsize; t++)
            table[t] = -1;
        for (int64_t i = cstart[p]; i < cstart[p + 1]; i++) {
            int32_t g = cgroups[i];
            Py_ssize_t c = class_of[g];
            int64_t u = (int64_t)cpoints[i], w = (int64_t)weight[g];
            uint64_t h = ((uint64_t)c * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)u * 0xC2B2AE3D27D4EB4FULL);
            Py_ssize_t t = (Py_ssize_t)(h >> 17) & (tsize - 1);
            while (table[t] >= 0 && (pairs[table[t]].cls != c || pairs[table[t]].u != u))
                t = (t + 1) & (tsize - 1);
            if (table[t] < 0) {
                table[t] = npairs;
                pairs[npairs++] = (Pair){c, -1, u, 0, 0, NULL, NULL, 0};
            }
            pairs[table[t]].w += w;
            pair_of[i - cstart[p]] = table[t];
            utility += w * u;
        }
        /* rho = remaining / (utility x scale), remaining = cost x scale - what the capped
         * pay. The floats guess who is capped (a walk over the pairs by budget / points);
         * the guess is kept if every pair passes the exact test at its rho, else the
         * order-free walk finds rho from nobody capped. */
        PyObject *num = PyList_GET_ITEM(cost_num, p), *den = PyList_GET_ITEM(cost_den, p);
        PyObject *per = PyNumber_FloorDivide(scale, den);
        PyObject *cost_scaled = per ? PyNumber_Multiply(num, per) : NULL;
        Py_XDECREF(per);
        if (!cost_scaled)
            goto done;
        double cost_f = PyFloat_AsDouble(PyList_GET_ITEM(cost_float, p));
        int guessed = guess_capped(pairs, npairs, &cls, utility, cost_f, order, keys);
        int64_t full = utility;
        for (int attempt = guessed ? 0 : 1; attempt < 2; attempt++) {
            Py_XSETREF(remaining, Py_NewRef(cost_scaled));
            utility = full;
            for (Py_ssize_t k = 0; k < npairs; k++) {
                if (!attempt && pairs[k].capped) {
                    PyObject *paying = times(cls.value[pairs[k].cls], pairs[k].w);
                    if (!paying || update(&remaining, paying, PyNumber_Subtract) < 0) {
                        Py_XDECREF(paying);
                        Py_DECREF(cost_scaled);
                        goto done;
                    }
                    Py_DECREF(paying);
                    utility -= pairs[k].w * pairs[k].u;
                } else if (attempt)
                    pairs[k].capped = 0;
            }
            if (!attempt) {
                int ok = utility > 0 ? guess_holds(pairs, npairs, &cls, remaining, utility,
                                                   scale) : 0;
                if (ok < 0) {
                    Py_DECREF(cost_scaled);
                    goto done;
                }
                if (ok)
                    break;
                continue;
            }
            for (int changed = 1; changed;) {
                changed = 0;
                if (utility <= 0) {
                    Py_DECREF(cost_scaled);
                    goto bad;
                }
                for (Py_ssize_t k = 0; k < npairs; k++) {
                    if (pairs[k].capped)
                        continue;
                    /* capped when budget < rho x u: value x utility < remaining x u */
                    int less = exact_less(cls.value[pairs[k].cls], utility, remaining,
                                          pairs[k].u);
                    if (less < 0) {
                        Py_DECREF(cost_scaled);
                        goto done;
                    }
                    if (less) {
                        pairs[k].capped = changed = 1;
                        PyObject *paying = times(cls.value[pairs[k].cls], pairs[k].w);
                        if (!paying || update(&remaining, paying, PyNumber_Subtract) < 0) {
                            Py_XDECREF(paying);
                            Py_DECREF(cost_scaled);
                            goto done;
                        }
                        Py_DECREF(paying);
                        utility -= pairs[k].w * pairs[k].u;
                    }
                }
            }
        }
        Py_DECREF(cost_scaled);
        /* rho in lowest terms; the scale grows to hold rho x points */
        PyObject *whole = times(scale, utility);
        PyObject *common = whole ? PyObject_CallFunctionObjArgs(gcd, remaining, whole, NULL)
                                 : NULL;
        rho_num = common ? PyNumber_FloorDivide(remaining, common) : NULL;
        rho_den = rho_num ? PyNumber_FloorDivide(whole, common) : NULL;
        Py_XDECREF(whole);
        Py_XDECREF(common);
        Py_CLEAR(remaining);
        if (!rho_den)
            goto done;
        common = PyObject_CallFunctionObjArgs(gcd, scale, rho_den, NULL);
        PyObject *grow = common ? PyNumber_FloorDivide(rho_den, common) : NULL;
        Py_XDECREF(common);
        if (!grow)
            goto done;
        long small = PyLong_AsLong(grow);
        if (small == -1 && PyErr_Occurred())
            PyErr_Clear();                          /* (a grow beyond a long) */
        if (small != 1) {
            /* only the classes some group is in: the others are never read again */
            char *used = PyMem_Calloc(cls.size, 1);
            if (!used) {
                Py_DECREF(grow);
                PyErr_NoMemory();
                goto done;
            }
            for (Py_ssize_t g = 0; g < ngroups; g++)
                used[class_of[g]] = 1;
            for (Py_ssize_t c = 1; c < cls.size; c++) {
                if (!used[c]) {
                    Py_CLEAR(cls.value[c]);
                    continue;
                }
                if (update(&cls.value[c], grow, PyNumber_Multiply) < 0) {
                    PyMem_Free(used);
                    Py_DECREF(grow);
                    goto done;
                }
            }
            PyMem_Free(used);
            if (update(&scale, grow, PyNumber_Multiply) < 0) {
                Py_DECREF(grow);
                goto done;
            }
        }
        Py_DECREF(grow);
        per = PyNumber_FloorDivide(scale, rho_den);
        price = per ? PyNumber_Multiply(rho_num, per) : NULL;      /* rho x scale */
        Py_XDECREF(per);
        if (!price)
            goto done;
        /* each pair's payment and budget after (a payment is price x points: one Fraction
         * per points value) */
        Py_XSETREF(paid_by_points, PyDict_New());
        if (!paid_by_points)
            goto done;
        for (Py_ssize_t k = 0; k < npairs; k++) {
            Pair *pair = &pairs[k];
            PyObject *before = cls.value[pair->cls];
            /* the capped pay what they hold (budget <= rho x u), the others rho x u */
            int all = pair->capped;
            PyObject *share = all ? Py_NewRef(before) : times(price, pair->u);
            if (!share)
                goto done;
            if (all) {
                Py_DECREF(share);
                pair->after = 0;
                pair->paid = class_fraction(&cls, pair->cls, fraction_type, scale);
                Py_XINCREF(pair->paid);
            } else {
                PyObject *after = PyNumber_Subtract(before, share);
                PyObject *points = after ? PyLong_FromLongLong(pair->u) : NULL;
                pair->paid = points ? PyDict_GetItemWithError(paid_by_points, points) : NULL;
                if (pair->paid)
                    Py_INCREF(pair->paid);
                else if (points && !PyErr_Occurred()) {
                    pair->paid = PyObject_CallFunctionObjArgs(fraction_type, share, scale, NULL);
                    if (pair->paid && PyDict_SetItem(paid_by_points, points, pair->paid) < 0)
                        Py_CLEAR(pair->paid);
                }
                Py_XDECREF(points);
                Py_DECREF(share);
                if (!after)
                    goto done;
                pair->after = new_class(&cls, after, scale);
            }
            if (!pair->paid || pair->after < 0 || !class_fraction(&cls, pair->cls, fraction_type,
                                                                   scale))
                goto done;
        }
        /* the payers, in group order */
        Py_ssize_t count = cstart[p + 1] - cstart[p];
        PyObject *payers = PyList_New(count);
        PyObject *rho = payers ? PyObject_CallFunctionObjArgs(fraction_type, rho_num, rho_den,
                                                              NULL) : NULL;
        PyObject *entry = rho ? PyDict_New() : NULL;
        PyObject *project = entry ? PyLong_FromSsize_t(p) : NULL;
        int failed = !project || PyDict_SetItem(entry, k_project, project) < 0
            || PyDict_SetItem(entry, k_price, rho) < 0 || PyDict_SetItem(entry, k_payers, payers) < 0
            || PyList_Append(rounds, entry) < 0;
        Py_XDECREF(project);
        Py_XDECREF(rho);
        Py_XDECREF(entry);
        Py_XDECREF(payers);
        if (failed)
            goto done;
        for (int64_t i = cstart[p]; i < cstart[p + 1]; i++) {
            int32_t g = cgroups[i];
            Pair *pair = &pairs[pair_of[i - cstart[p]]];
            int64_t w = (int64_t)weight[g];
            PyObject *payer = NULL;
            if (pair->first) {              /* the same points, budget and payment */
                payer = PyDict_Copy(pair->first);
                PyObject *voters = payer && w != pair->first_w ? PyLong_FromLongLong(w) : NULL;
                failed = !payer || (w != pair->first_w
                                    && (!voters || PyDict_SetItem(payer, k_voters, voters) < 0));
                Py_XDECREF(voters);
            } else {
                payer = PyDict_New();
                PyObject *voters = PyLong_FromLongLong(w);
                PyObject *points = PyLong_FromLongLong(pair->u);
                failed = !payer || !voters || !points
                    || PyDict_SetItem(payer, k_voters, voters) < 0
                    || PyDict_SetItem(payer, k_points, points) < 0
                    || PyDict_SetItem(payer, k_before, cls.fraction[pair->cls]) < 0
                    || PyDict_SetItem(payer, k_paid, pair->paid) < 0;
                Py_XDECREF(voters);
                Py_XDECREF(points);
                if (!failed) {
                    pair->first = Py_NewRef(payer);
                    pair->first_w = w;
                }
            }
            if (failed) {
                Py_XDECREF(payer);
                goto done;
            }
            /* ints, str keys and Fractions (which hold ints): no cycle can pass through
             * it, and a dict tracks itself again when a container is put in it */
            PyObject_GC_UnTrack(payer);
            PyList_SET_ITEM(payers, i - cstart[p], payer);
            class_of[g] = pair->after;
        }
        for (Py_ssize_t k = 0; k < npairs; k++) {
            Py_CLEAR(pairs[k].paid);
            Py_CLEAR(pairs[k].first);
        }
        Py_CLEAR(rho_num);
        Py_CLEAR(rho_den);
        Py_CLEAR(price);
    }
    /* what the supporters of each project left out hold, and how many they are */
    Py_ssize_t nleft = PyList_GET_SIZE(left_out);
    available = PyList_New(nleft);
    supporters = PyList_New(nleft);
    int64_t *per_class = PyMem_Calloc(cls.size + 1, sizeof(int64_t));
    if (!available || !supporters || !per_class) {
        PyMem_Free(per_class);
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t j = 0; j < nleft; j++) {
        Py_ssize_t p = PyLong_AsSsize_t(PyList_GET_ITEM(left_out, j));
        if (p < 0 || p >= n) {
            PyErr_Clear();
            PyMem_Free(per_class);
            goto bad;
        }
        int64_t voters = 0;
        for (int64_t i = cstart[p]; i < cstart[p + 1]; i++) {
            per_class[class_of[cgroups[i]]] += (int64_t)weight[cgroups[i]];
            voters += (int64_t)weight[cgroups[i]];
        }
        PyObject *total = PyLong_FromLong(0);
        for (int64_t i = cstart[p]; i < cstart[p + 1] && total; i++) {
            Py_ssize_t c = class_of[cgroups[i]];
            if (!per_class[c])
                continue;
            PyObject *part = times(cls.value[c], per_class[c]);
            per_class[c] = 0;
            if (!part || update(&total, part, PyNumber_Add) < 0)
                Py_CLEAR(total);
            Py_XDECREF(part);
        }
        PyObject *value = total ? PyObject_CallFunctionObjArgs(fraction_type, total, scale, NULL)
                                : NULL;
        Py_XDECREF(total);
        PyObject *many = value ? PyLong_FromLongLong(voters) : NULL;
        if (!many) {
            Py_XDECREF(value);
            PyMem_Free(per_class);
            goto done;
        }
        PyList_SET_ITEM(available, j, value);
        PyList_SET_ITEM(supporters, j, many);
    }
    PyMem_Free(per_class);
    result = PyTuple_Pack(3, rounds, available, supporters);
    goto done;
bad:
    PyErr_SetString(PyExc_ValueError, "points_replay: inconsistent arrays or winners");
done:
    for (Py_ssize_t k = 0; k < npairs; k++) {
        Py_XDECREF(pairs[k].paid);
        Py_XDECREF(pairs[k].first);
    }
    Py_XDECREF(paid_by_points);
    for (Py_ssize_t c = 0; c < cls.size; c++) {
        Py_XDECREF(cls.value[c]);
        Py_XDECREF(cls.fraction[c]);
    }
    PyMem_Free(cls.value);
    PyMem_Free(cls.fraction);
    PyMem_Free(cls.approx);
    PyMem_Free(pairs);
    PyMem_Free(table);
    PyMem_Free(class_of);
    PyMem_Free(pair_of);
    PyMem_Free(order);
    PyMem_Free(keys);
    Py_XDECREF(rounds);
    Py_XDECREF(available);
    Py_XDECREF(supporters);
    Py_XDECREF(gcd);
    Py_XDECREF(zero);
    Py_XDECREF(rho_num);
    Py_XDECREF(rho_den);
    Py_XDECREF(remaining);
    Py_XDECREF(price);
    Py_XDECREF(scale);
    Py_XDECREF(k_voters);
    Py_XDECREF(k_points);
    Py_XDECREF(k_before);
    Py_XDECREF(k_paid);
    Py_XDECREF(k_project);
    Py_XDECREF(k_price);
    Py_XDECREF(k_payers);
    for (int i = 0; i < got; i++)
        PyBuffer_Release(&views[i]);
    return result;
}
