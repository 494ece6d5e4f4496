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
                    cs[c + 1]++;
                    util[c] += count * pts;     /* each < 2**53: the sum fits 2**63 for a while */
                    if (util[c] >= (int64_t)EXACT_INTS)
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
 * as floats find it (no guarantee: only a proposal), or inf if the supporters cannot pay. */
static double walk(Board *bd, Py_ssize_t c, const double *b, double target)
{
    int64_t first = bd->cstart[c], size = bd->cstart[c + 1] - first;
    for (int64_t k = 0; k < size; k++) {
        bd->key[k] = b[bd->cgroups[first + k]] / bd->cpoints[first + k];
        bd->order[k] = (int32_t)k;
    }
    sort_keys = bd->key;
    qsort(bd->order, size, sizeof(int32_t), by_key);
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
    double r = walk(bd, c, bd->bhi, clo);
    for (int t = 0; t < 4 && isfinite(r); t++) {
        double x = r * (1 - slack - widen[t]);
        if (payable(bd, c, x, 1) < clo) {
            *lo = x;
            break;
        }
    }
    *hi = INFINITY;
    r = walk(bd, c, bd->blo, chi);
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
    for (; got < NBUF; got++) {
        if (PyObject_GetBuffer(objs[got], &views[got], PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0)
            goto done;
        if (views[got].itemsize != 1 && views[got].itemsize != sizes[got])
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
