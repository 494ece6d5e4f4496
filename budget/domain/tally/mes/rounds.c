/* One run of the Method of Equal Shares with uniform utilities (Cost_Sat, Cardinality_Sat), in
 * floats, compiled: the rounds of close_call.run_rounds and the walk of walk.float_walk, with
 * the same error bounds and horizons, written in C because this loop is where every MES rule
 * spends its time (Python's cost per step was the floor of the pure-Python engine).
 *
 * It never decides a close call in floats. When a walk step is too close to call, or when two
 * projects' rho intervals overlap, it stops and returns the winners decided so far; the caller
 * (core.py) lets the Python engine, which decides such calls exactly, finish the run. The one
 * near-tie it decides is exact by construction (see decidable()).
 *
 * Voters are kept per ballot group. A group's budget class is the run's record of the winners
 * it supported (a class id, -1 once drained); groups in the same class hold the same budget.
 * Per class: the float budget bf, its error bound ef and lo = bf - ef (walk.py explains the
 * bounds and why a clear float step equals the exact one).
 *
 * Part of the `_mescore` extension (../_mescore.c lists its functions; setup.py builds it).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "../_mescore.h"
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The error bounds assume every operation rounds once to a double. */
#if defined(__FAST_MATH__) || FLT_EVAL_METHOD != 0
#error "rounds.c needs IEEE double arithmetic: no -ffast-math, no x87 excess precision"
#endif

#define U 1.1102230246251565e-16 /* 2**-53, the unit round-off of a double */

enum { AFFORDABLE, UNAFFORDABLE, UNCLEAR };

typedef struct {
    double key;             /* a lower bound of the project's rho for the rest of the run */
    int p;
    double slope;           /* a lower bound of d rho / d b (close_call: the horizon) */
    double slope_u;         /* the same for the upper system (certificate, below): <= 0 */
} Entry;

/* What the walk of one project found (walk.float_walk's Evaluation fields). */
typedef struct {
    double q, eq;           /* price per supporter and its error bound */
    double q_slope;         /* d q / d b */
    double horizon;         /* how far b may grow with this walk keeping its capped set */
    double q_slope_u;       /* the right derivative of q in the upper system (<= 0) */
    double horizon_u;       /* unaffordable: how far b may grow with it staying so, whatever
                             * the capped sets (upper system) */
} Walk;

typedef struct {
    double lo;
    int32_t c;
} Ranked;

/* The walk's order: by lo, then by class id (any order is sound; this one is fixed, so a
 * winner's walk is the same when it is evaluated again to be funded). */
static inline int ranked_less(Ranked x, Ranked y)
{
    return x.lo < y.lo || (x.lo == y.lo && x.c < y.c);
}

/* Sort a[0 .. n) by ranked_less: insertion sort on runs of 16, then bottom-up merges through
 * tmp (a comparison inlined: the walks sort about a million entries per run on large files). */
static void sort_ranked(Ranked *a, Ranked *tmp, Py_ssize_t n)
{
    const Py_ssize_t RUN = 16;
    for (Py_ssize_t lo = 0; lo < n; lo += RUN) {
        Py_ssize_t hi = lo + RUN < n ? lo + RUN : n;
        for (Py_ssize_t i = lo + 1; i < hi; i++) {
            Ranked x = a[i];
            Py_ssize_t j = i;
            while (j > lo && ranked_less(x, a[j - 1])) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
    }
    Ranked *src = a, *dst = tmp;
    for (Py_ssize_t width = RUN; width < n; width *= 2) {
        for (Py_ssize_t lo = 0; lo < n; lo += 2 * width) {
            Py_ssize_t mid = lo + width < n ? lo + width : n;
            Py_ssize_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            Py_ssize_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = ranked_less(src[j], src[i]) ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        Ranked *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(Ranked));
}

typedef struct {
    /* the profile (borrowed buffers) */
    const int64_t *start;   /* per project, its first supporter in `groups` (CSR) */
    const int32_t *groups;  /* supporting ballot groups, project by project */
    const double *weight;   /* voters per group */
    const double *costf;    /* float cost per project */
    const double *support;  /* voters per project */
    const int64_t *icost;   /* per project, its exact cost if a whole number, else -1 */
    int by_cost;
    double b;
    /* the run */
    int32_t *cls;           /* per group, its class; -1: drained */
    double *bf, *ef, *lo;   /* per class */
    double *sf;             /* per class, d bf / d b (>= 1) */
    double rel_s;           /* a relative error bound of every slope */
    double *su;             /* per class, its slope in the upper system (>= sf) */
    double *sl;             /* certify: per class, its growth from b' at least sl * d, d <= x0 */
    double fall_q;          /* certify: the winner being funded: its price falls at least this */
    double *dsu;            /* per group, drained: its slope in the upper system (>= 0) */
    double *drained;        /* per class, fund(): the dsu of its groups drained now */
    double rel_u;           /* a relative error bound of every upper-system slope */
    double reach;           /* the upper system holds for b' - b in [0, reach] (0: no bound) */
    int upper;              /* track the upper system (a certificate is asked for) */
    double *count;          /* per class, the voters of the project being evaluated */
    int32_t *touched;       /* the classes with a count, in the order first met */
    Ranked *batch;          /* the classes the walk sorts, by (lo, id) */
    Ranked *spare;          /* the sort's buffer */
    int32_t *capped;        /* the classes the walk capped, in order */
    int32_t *kept_touched, *kept_capped;    /* the same, kept from the best walk of a round */
    double *kept_count;     /* certify: the winner's voters per kept_touched class */
    Py_ssize_t kept_ntouched, kept_ncapped;
    int32_t *child;         /* per class, its class after the funding being made */
    Py_ssize_t classes, capacity;
    Py_ssize_t ntouched;
    Py_ssize_t ncapped;
    double uncapped;        /* the voters left uncapped by an affordable walk */
} Run;

/* Reallocate the block at *slot to `bytes`; on failure it keeps its old block. */
static int resize(void *slot, size_t bytes)
{
    void **block = slot;
    void *moved = PyMem_Realloc(*block, bytes);
    if (!moved)
        return -1;
    *block = moved;
    return 0;
}

static int grow_classes(Run *r, Py_ssize_t need)
{
    if (need <= r->capacity)
        return 0;
    if (need > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "mes core: too many budget classes");
        return -1;
    }
    Py_ssize_t cap = r->capacity * 2 > need ? r->capacity * 2 : need;
    size_t reals = cap * sizeof(double), ids = cap * sizeof(int32_t);
    if (resize(&r->bf, reals) < 0 || resize(&r->ef, reals) < 0 || resize(&r->lo, reals) < 0
            || resize(&r->sf, reals) < 0 || resize(&r->su, reals) < 0
            || resize(&r->sl, reals) < 0 || resize(&r->drained, reals) < 0
            || resize(&r->count, reals) < 0
            || resize(&r->touched, ids + sizeof(int32_t)) < 0      /* one more: see evaluate */
            || resize(&r->batch, cap * sizeof(Ranked)) < 0
            || resize(&r->spare, cap * sizeof(Ranked)) < 0 || resize(&r->capped, ids) < 0
            || resize(&r->kept_touched, ids) < 0 || resize(&r->kept_capped, ids) < 0
            || resize(&r->kept_count, reals) < 0
            || resize(&r->child, ids) < 0) {
        PyErr_NoMemory();
        return -1;
    }
    memset(r->count + r->capacity, 0, (cap - r->capacity) * sizeof(double));
    r->capacity = cap;
    return 0;
}

static void clear_counts(Run *r)
{
    for (Py_ssize_t i = 0; i < r->ntouched; i++)
        r->count[r->touched[i]] = 0.0;
    r->ntouched = 0;
}

/* How fast a gap closes when its ends' slopes differ by slope_gap, with the slopes' error
 * bounds (horizons, walk.py) */
static inline double rate(const Run *r, double slope_gap, Py_ssize_t k)
{
    return slope_gap * (1 + 2 * r->rel_s + 2 * (double)(k + 4) * U);
}

/* p's walk (walk.float_walk: the same steps, bounds and horizon). On AFFORDABLE,
 * r->capped[0 .. ncapped) are the capped classes and the counts are kept for fund(); on any
 * other result they are cleared. */
static int evaluate(Run *r, int p, Walk *w)
{
    Py_ssize_t nt = 0;
    double W0 = 0.0;
    double D = 0.0;         /* the drained supporters' upper-system slopes, weighted */
    for (int64_t i = r->start[p]; i < r->start[p + 1]; i++) {
        int32_t g = r->groups[i];
        int32_t c = r->cls[g];
        if (c < 0) {
            if (r->upper)
                D += r->weight[g] * r->dsu[g];
            continue;
        }
        r->touched[nt] = c;     /* kept only if c is new (no branch to mispredict; nt <= classes) */
        nt += r->count[c] == 0.0;
        r->count[c] += r->weight[g];
    }
    r->ntouched = nt;
    r->ncapped = 0;
    w->q_slope = 0.0;
    w->horizon = Py_HUGE_VAL;
    w->q_slope_u = 0.0;
    w->horizon_u = 0.0;     /* (nobody holds money: no bound is kept; certify() fails) */
    if (nt == 0)
        return UNAFFORDABLE;
    for (Py_ssize_t i = 0; i < nt; i++)
        W0 += r->count[r->touched[i]];      /* whole numbers below 2**53: exact */
    const double cost = r->costf[p];
    double q = cost / W0;
    double eq = 16 * U * cost / W0;
    double min_lo = r->lo[r->touched[0]];
    for (Py_ssize_t i = 1; i < nt; i++)
        if (r->lo[r->touched[i]] < min_lo)
            min_lo = r->lo[r->touched[i]];
    if (q + eq < min_lo) {
        r->uncapped = W0;
        w->q = q;
        w->eq = eq;
        w->q_slope_u = -D / W0;
        return AFFORDABLE;
    }
    /* The walk by increasing lo. It usually stops after a few classes, so only the classes
     * with lo below a threshold T are sorted; when the walk has capped them all, either
     * q + eq < T <= every other lo (accept, as a walk over all classes would) or T doubles
     * and the classes below it are sorted next. Every step is the one of the walk over all
     * classes by (lo, id). */
    Ranked *batch = r->batch;
    Py_ssize_t size = 0, next = 0;
    double T = -Py_HUGE_VAL, below;     /* classes with lo < T are sorted (or capped) */
    double rem = cost, W = W0, E = 0.0;
    double slope_sum = 0.0, max_slope = 0.0, highest = -Py_HUGE_VAL, slope_u_sum = D;
    Py_ssize_t k = 0;
    int accept = 0, unclear = 0;
    for (;;) {
        if (next == size) {
            if (k == nt)
                break;                      /* every class capped: unaffordable */
            if (q + eq < T) {               /* k classes capped, every other lo >= T */
                accept = 1;
                break;
            }
            below = T;
            T = 2 * (q + eq);               /* > q + eq >= T > 0 (or the first T, >= min_lo) */
            size = next = 0;
            for (Py_ssize_t i = 0; i < nt; i++) {
                int32_t c = r->touched[i];
                if (r->lo[c] >= below && r->lo[c] < T)
                    batch[size++] = (Ranked){r->lo[c], c};
            }
            sort_ranked(batch, r->spare, size);
            if (size == 0)
                continue;                   /* accepted at the next pass */
        }
        int32_t c = batch[next].c;
        if (q + eq < r->lo[c]) {
            accept = 1;
            break;
        }
        double n = r->count[c];
        if (q - eq <= r->bf[c] + r->ef[c]) {
            unclear = 1;                    /* too close to call */
            break;
        }
        rem -= n * r->bf[c];
        W -= n;
        E += n * r->ef[c];
        slope_sum += n * r->sf[c];
        slope_u_sum += n * r->su[c];
        if (r->sf[c] > max_slope)
            max_slope = r->sf[c];
        if (r->bf[c] + r->ef[c] > highest)
            highest = r->bf[c] + r->ef[c];
        r->capped[k++] = c;
        next++;
        if (E >= cost) {
            unclear = 1;
            break;
        }
        q = rem / W;
        eq = 2 * (8 * U * (double)(k + 1) * cost + E) / W;
    }
    if (accept) {
        r->ncapped = k;
        r->uncapped = W;
        w->q = q;
        w->eq = eq;
        w->q_slope = -slope_sum / W;
        w->q_slope_u = -slope_u_sum / W;
        if (k) {    /* the capped class nearest to the price: the largest upper bound */
            double gap = q - eq - highest;
            w->horizon = (gap > 0 ? gap : 0.0) / rate(r, max_slope - w->q_slope, k);
        }
        return AFFORDABLE;
    }
    clear_counts(r);
    if (unclear)
        return UNCLEAR;
    /* every class capped, the last one clearly: the supporters hold less than the cost */
    double left = rem - 2 * (8 * U * (double)(k + 1) * cost + E);
    w->horizon = (left > 0 ? left : 0.0) / rate(r, slope_sum, k);
    /* slope_u_sum >= slope_sum > 0 (k >= 1 classes of slope >= 1) */
    w->horizon_u = (left > 0 ? left : 0.0)
        / (slope_u_sum * (1 + 2 * r->rel_u + 2 * (double)(r->start[p + 1] - r->start[p] + 4) * U));
    return UNAFFORDABLE;
}

/* The upper-system slope of a group of class c, drained by a funding at price q (walk w):
 * its budget at b' = b + d is at most max(U_c(d) - T(d), 0), U_c(d) = B_c(b) + su_c d and
 * T(d) = q(b) + q_slope_u d (certify_rounds), i.e. max(s d - gap, 0) with s = su_c - q_slope_u
 * and gap = q(b) - B_c(b) >= 0. That is convex in d, so on [0, reach] it is below its chord:
 * 0 at d = 0, slope max(0, s - gap / reach). Returned: an upper bound of that slope (s taken
 * with its relative error, gap from below); a drained group that pays again keeps it (it
 * keeps at most what it held). */
static double drained_slope(const Run *r, int32_t c, const Walk *w)
{
    double s = (r->su[c] - w->q_slope_u) * (1 + 4 * (r->rel_u + 8 * U));
    if (!(r->reach > 0))
        return s;
    double gap = (w->q - w->eq) - (r->bf[c] + r->ef[c]);
    double cut = (gap > 0 ? gap : 0.0) / r->reach * (1 - 4 * U);
    return s > cut ? s - cut : 0.0;
}

/* p's supporters pay: capped classes are drained, the others move to a child class holding
 * bf - q. The walk is the one of evaluate(p) now; its classes and capped classes are in
 * r->kept_* if `kept`, else in r->touched (nt of them) and r->capped. */
static int fund(Run *r, int p, const Walk *w, int kept, Py_ssize_t nt)
{
    const double q = w->q, eq = w->eq;
    if (grow_classes(r, r->classes + nt) < 0)       /* (may move every per-class array) */
        return -1;
    const int32_t *touched = kept ? r->kept_touched : r->touched;
    const int32_t *capped = kept ? r->kept_capped : r->capped;
    const Py_ssize_t ncapped = kept ? r->kept_ncapped : r->ncapped;
    const double grow = 2 * (eq + U * r->b);
    for (Py_ssize_t i = 0; i < nt; i++)
        r->child[touched[i]] = -2;
    for (Py_ssize_t i = 0; i < ncapped; i++) {
        r->child[capped[i]] = -1;
        if (r->upper)       /* (one division per class, not per group) */
            r->drained[capped[i]] = drained_slope(r, capped[i], w);
    }
    for (Py_ssize_t i = 0; i < nt; i++) {
        int32_t c = touched[i];
        if (r->child[c] == -1)
            continue;
        Py_ssize_t n = r->classes++;
        r->bf[n] = r->bf[c] - q;
        r->ef[n] = r->ef[c] + grow;
        r->lo[n] = r->bf[n] - r->ef[n];
        r->sf[n] = r->sf[c] - w->q_slope;
        r->su[n] = r->su[c] - w->q_slope_u;
        r->sl[n] = (r->sl[c] + r->fall_q) * (1 - 4 * U);
        r->child[c] = (int32_t)n;
    }
    for (int64_t i = r->start[p]; i < r->start[p + 1]; i++) {
        int32_t g = r->groups[i];
        int32_t c = r->cls[g];
        if (c >= 0) {
            if (r->child[c] < 0 && r->upper)    /* drained now: the upper system (certify) */
                r->dsu[g] = r->drained[c];
            r->cls[g] = r->child[c];
        }
    }
    r->rel_s += 2 * (double)(ncapped + 4) * U;
    r->rel_u += 2 * (double)(r->start[p + 1] - r->start[p] + 4) * U;
    return 0;
}

static inline int entry_less(Entry a, Entry b)
{
    return a.key < b.key || (a.key == b.key && a.p < b.p);
}

static void heap_push(Entry *heap, Py_ssize_t *n, Entry e)
{
    Py_ssize_t i = (*n)++;
    while (i > 0) {
        Py_ssize_t parent = (i - 1) / 2;
        if (!entry_less(e, heap[parent]))
            break;
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = e;
}

static Entry heap_pop(Entry *heap, Py_ssize_t *n)
{
    Entry top = heap[0], last = heap[--(*n)];
    Py_ssize_t i = 0;
    for (;;) {
        Py_ssize_t child = 2 * i + 1;
        if (child >= *n)
            break;
        if (child + 1 < *n && entry_less(heap[child + 1], heap[child]))
            child++;
        if (!entry_less(heap[child], last))
            break;
        heap[i] = heap[child];
        i = child;
    }
    if (*n > 0)
        heap[i] = last;
    return top;
}

typedef struct {
    int p;
    double rho, err;
    double slope, slope_err;    /* d rho / d b and its error bound */
    double slope_u;             /* a lower bound of its upper-system slope (<= 0) */
    double horizon;             /* of its walk */
    double uncapped;            /* voters paying the full price */
    Py_ssize_t capped;          /* classes paying less */
} Rated;

/* Can a near-tie between these projects be decided exactly here? When no class was capped, the
 * exact price is cost / W (W voters, all of them paying), so the exact rho is 1 / W (Cost_Sat)
 * or cost / W (Cardinality_Sat; compared in 128-bit integers, so for whole costs only). Such a
 * rho does not depend on b (slope 0), so it bounds no horizon either. */
static int decidable(const Run *r, const Rated *a)
{
#ifdef __SIZEOF_INT128__
    return a->capped == 0 && (r->by_cost || r->icost[a->p] >= 0);
#else
    return a->capped == 0 && r->by_cost;
#endif
}

/* a's exact rho below b's, or equal with a first in the tie order (the smaller index) */
static int exactly_before(const Run *r, const Rated *a, const Rated *b)
{
    if (r->by_cost) {
        if (a->uncapped != b->uncapped)
            return a->uncapped > b->uncapped;
    } else {
#ifdef __SIZEOF_INT128__
        __int128 x = (__int128)r->icost[a->p] * (int64_t)b->uncapped;
        __int128 y = (__int128)r->icost[b->p] * (int64_t)a->uncapped;
        if (x != y)
            return x < y;
#endif
    }
    return a->p < b->p;
}

static inline double smaller(double a, double b)
{
    return b < a ? b : a;
}

/* How far b can grow with the winner still the best of this round (close_call._rivals_horizon:
 * each rival's rho, and each heap key, stays above the winner's along their tangents). Rivals
 * within the winner's interval were decided exactly with slopes 0 (decidable), so they bound
 * nothing. */
static double rivals_horizon(const Rated *rated, Py_ssize_t nrated, Py_ssize_t winner,
                             const Entry *heap, Py_ssize_t nheap, double ub)
{
    const Rated *w = &rated[winner];
    double top = smaller(ub, w->rho + w->err);
    double rise = w->slope + w->slope_err;
    double horizon = Py_HUGE_VAL;
    for (Py_ssize_t i = 0; i < nrated; i++) {
        double low = rated[i].rho - rated[i].err, fall = rated[i].slope - rated[i].slope_err;
        if (i != winner && low > top && fall < rise)
            horizon = smaller(horizon, (low - top) / (rise - fall));
    }
    for (Py_ssize_t i = 0; i < nheap; i++)
        if (heap[i].slope < rise)
            horizon = smaller(horizon, (heap[i].key - top) / (rise - heap[i].slope));
    return horizon;
}

/* What a finished run leaves for certify(): per round, every rival's lower bound of rho as a
 * line in d = b' - b (key + slope * d, slope <= 0), and how far b may grow with every project
 * found unaffordable staying so. */
typedef struct {
    int64_t *offset;        /* per round + 1: where its rivals start in key / slope */
    double *key, *slope;
    int32_t *proj;          /* the rival of each line (certify walks it again when needed) */
    Py_ssize_t n, capacity; /* pairs written, room */
    int32_t *out_p, *out_round;     /* each project found unaffordable, and the round */
    double *out_for;                /* its horizon_u: it stays so while d < out_for */
    Py_ssize_t nout;                /* (room: every candidate is found so at most once) */
} Certificate;

/* What certify() reads: the certificate of a run at b1 (run_rounds, Certificate). */
typedef struct {
    const int64_t *offset;
    const double *key, *slope;
    const int32_t *proj;
    const int32_t *out_p, *out_round;
    const double *out_for;
    Py_ssize_t nout;
    double b1, reach;
} Lines;

/* A run seeded by the certificate of an earlier run (run_rounds, seed_round): the run at b1
 * <= b, its winners, and how far b is past b1 (delta, an upper bound). */
typedef struct {
    Lines c;
    const int32_t *winners;
    Py_ssize_t nrounds;
    double delta;
    int following;          /* every round so far funded the run at b1's winner */
    Py_ssize_t next_out;
    int32_t *stamp;         /* per project: the round its line below was read in, or -1 */
    double *line;           /* per project: its seeded key this round */
    double *line_slope;
    double *out;            /* per project: found out at b1 this round, out for d < out */
    Entry *spare;           /* the heap, rebuilt */
} Seed;

/* Seeded keys (a shortcut of run_rounds, exact). The run at b (this one) has funded, in the
 * rounds before round k, the winners of the run at b1 <= b in the same order. The
 * certificate of the run at b1 (certify_rounds says why) then gives, for each rival q of
 * round k, a line key + slope * d1 (slope <= 0) below q's rho in round k at every budget
 * b1 + d1 (d1 in [0, reach1]) whose run funded those winners first: at b, below q's rho in
 * round k and every later round of this run (rho never decreases within a run). So it is
 * a lower bound, the only thing a heap key must be: a project is walked when its key is at
 * most the best upper bound of the round (ub), and one left in the heap has rho >= key > ub,
 * above the winner's; the winner, and every decision and close call among the walked
 * projects, are those of any run with valid keys. A project the run at b1 found
 * unaffordable in round k stays so at b1 + d1 while d1 < out_for (its horizon_u), so at b
 * in round k and after (never affordable again in a run): it leaves the heap unwalked.
 *
 * What this run records stays true: a seeded line read at d = b - b1 <= delta is, from b,
 * the line seed + slope * e (seed <= key + slope * delta), valid for e <= reach1 - delta
 * with the rounds before as at b, the condition of every certificate line; a project put
 * out stays so while e < out_for - delta. So the run's reach (its upper system's chords, and
 * its certificate's) is at most reach1 - delta, and its horizon too (a seeded line bounds
 * its rivals_horizon, each put-out project the horizon as in the run itself). */
static Py_ssize_t seed_round(Run *r, Seed *s, Py_ssize_t k, Entry *heap, Py_ssize_t nheap,
                             Certificate *cert, double *horizon)
{
    const Lines *c = &s->c;
    const double d = s->delta;
    /* (after the run at b1's last winner, k == nrounds: no lines, only projects put out) */
    for (int64_t i = c->offset[k]; k < s->nrounds && i < c->offset[k + 1]; i++) {
        int32_t q = c->proj[i];
        double a = -c->slope[i];                            /* >= 0 */
        double ad = a * d * (1 + 4 * U);
        s->stamp[q] = (int32_t)k;
        s->line[q] = c->key[i] - ad - 4 * U * ((c->key[i] < 0 ? -c->key[i] : c->key[i]) + ad);
        s->line_slope[q] = c->slope[i];
        s->out[q] = -1.0;
    }
    for (; s->next_out < c->nout && c->out_round[s->next_out] <= k; s->next_out++) {
        int32_t q = c->out_p[s->next_out];
        double left = (c->out_for[s->next_out] - d) * (1 - 8 * U);
        if (c->out_round[s->next_out] == k && left > 0) {
            s->stamp[q] = (int32_t)k;
            s->out[q] = left;
        }
    }
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < nheap; i++) {
        Entry e = heap[i];
        int32_t q = e.p;
        if (s->stamp[q] == (int32_t)k && s->out[q] > 0) {      /* out, unwalked */
            *horizon = smaller(*horizon, s->out[q]);
            if (cert) {
                cert->out_p[cert->nout] = q;
                cert->out_round[cert->nout] = (int32_t)k;
                cert->out_for[cert->nout++] = s->out[q];
            }
            continue;
        }
        if (s->stamp[q] == (int32_t)k && s->line[q] > e.key)
            e = (Entry){s->line[q], q, s->line_slope[q], s->line_slope[q]};
        s->spare[n++] = e;
    }
    nheap = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        heap_push(heap, &nheap, s->spare[i]);
    return nheap;
}

/* The rounds of close_call.run_rounds, with its horizon. Appends the winners to `selected`;
 * returns 1 when the run ended, 0 when it stopped at a close call, -1 on error. cert (or NULL)
 * receives the lines above. */
static int run_rounds(Run *r, const int32_t *candidates, Py_ssize_t ncand, PyObject *selected,
                      double *horizon, Certificate *cert, Seed *seed)
{
    Py_ssize_t round = 0;
    if (cert) {
        cert->offset[0] = 0;
        cert->n = 0;
        cert->nout = 0;
    }
    Entry *heap = PyMem_Malloc((ncand + 1) * sizeof(Entry));
    Rated *rated = PyMem_Malloc((ncand + 1) * sizeof(Rated));
    int result = -1;
    Walk walk, kept_walk;
    int kept = -1;          /* the project whose walk is kept: the lowest rho of the round */
    *horizon = Py_HUGE_VAL;
    if (!heap || !rated) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t nheap = 0;
    for (Py_ssize_t i = 0; i < ncand; i++) {
        int p = candidates[i];
        double w = r->support[p];
        double key = (r->by_cost ? 1.0 / w : r->costf[p] / w) * (1 - 4 * U);
        heap_push(heap, &nheap, (Entry){key, p, 0.0, 0.0});
    }
    while (nheap > 0) {
        double ub = Py_HUGE_VAL;
        Py_ssize_t nrated = 0;
        kept = -1;
        if (seed && seed->following && round <= seed->nrounds)
            nheap = seed_round(r, seed, round, heap, nheap, cert, horizon);
        while (nheap > 0 && heap[0].key <= ub) {
            int p = heap_pop(heap, &nheap).p;
            int status = evaluate(r, p, &walk);
            if (status == UNCLEAR) {
                result = 0;
                goto done;
            }
            if (status == UNAFFORDABLE) {   /* never affordable again in this run */
                *horizon = smaller(*horizon, walk.horizon);
                if (cert) {
                    cert->out_p[cert->nout] = p;
                    cert->out_round[cert->nout] = (int32_t)round;
                    cert->out_for[cert->nout++] = walk.horizon_u;
                }
                continue;
            }
            double u = r->by_cost ? r->costf[p] : 1.0;
            double rho = walk.q / u, slope = walk.q_slope / u, slope_u = walk.q_slope_u / u;
            if (kept < 0 || rho < rated[kept].rho) {   /* usually the winner: keep its walk */
                memcpy(r->kept_touched, r->touched, r->ntouched * sizeof(int32_t));
                memcpy(r->kept_capped, r->capped, r->ncapped * sizeof(int32_t));
                r->kept_ntouched = r->ntouched;
                r->kept_ncapped = r->ncapped;
                kept_walk = walk;
                kept = (int)nrated;
            }
            clear_counts(r);
            rated[nrated++] = (Rated){
                p, rho, 2 * (walk.eq / u + 2 * U * rho), slope,
                2 * (r->rel_s + (double)(r->ncapped + 4) * U) * (slope < 0 ? -slope : slope),
                /* (slope_u <= 0; its relative error: rel_u and this walk's sum and division) */
                slope_u * (1 + 2 * (r->rel_u + (double)(r->start[p + 1] - r->start[p] + 4) * U)),
                walk.horizon, r->uncapped, r->ncapped};
            if (rho + rated[nrated - 1].err < ub)
                ub = rho + rated[nrated - 1].err;
        }
        if (nrated == 0)
            break;
        Py_ssize_t close = 0, winner = -1;
        int exact = 1;
        for (Py_ssize_t i = 0; i < nrated; i++)
            if (rated[i].rho - rated[i].err <= ub) {
                close++;
                exact = exact && decidable(r, &rated[i]);
                if (winner < 0 || exactly_before(r, &rated[i], &rated[winner]))
                    winner = i;
            }
        if (close > 1 && !exact) {          /* a near-tie: decided exactly, by the caller */
            result = 0;
            goto done;
        }
        *horizon = smaller(*horizon, rated[winner].horizon);
        *horizon = smaller(*horizon, rivals_horizon(rated, nrated, winner, heap, nheap, ub));
        for (Py_ssize_t i = 0; i < nrated; i++)
            if (i != winner)
                heap_push(heap, &nheap, (Entry){rated[i].rho - rated[i].err, rated[i].p,
                                                rated[i].slope - rated[i].slope_err,
                                                rated[i].slope_u});
        if (cert) {     /* every project still in the contest but the winner */
            if (cert->n + nheap > cert->capacity) {
                Py_ssize_t cap = 2 * cert->capacity + nheap;
                if (resize(&cert->key, cap * sizeof(double)) < 0
                        || resize(&cert->slope, cap * sizeof(double)) < 0
                        || resize(&cert->proj, cap * sizeof(int32_t)) < 0) {
                    PyErr_NoMemory();
                    goto done;
                }
                cert->capacity = cap;
            }
            for (Py_ssize_t i = 0; i < nheap; i++) {
                if (heap[i].p == rated[winner].p)
                    continue;
                cert->key[cert->n] = heap[i].key;
                cert->proj[cert->n] = heap[i].p;
                cert->slope[cert->n++] = heap[i].slope_u;
            }
            cert->offset[round + 1] = cert->n;
        }
        int p = rated[winner].p;
        if (seed && seed->following)
            seed->following = round < seed->nrounds && seed->winners[round] == p;
        round++;
        if (winner == kept) {
            if (fund(r, p, &kept_walk, 1, r->kept_ntouched) < 0)
                goto done;
        } else {
            if (evaluate(r, p, &walk) != AFFORDABLE) {  /* the same walk as above */
                PyErr_SetString(PyExc_RuntimeError, "mes core: a winner's walk changed");
                goto done;
            }
            Py_ssize_t nt = r->ntouched;
            clear_counts(r);
            if (fund(r, p, &walk, 0, nt) < 0)
                goto done;
        }
        PyObject *index = PyLong_FromLong(p);
        if (!index || PyList_Append(selected, index) < 0) {
            Py_XDECREF(index);
            goto done;
        }
        Py_DECREF(index);
    }
    result = 1;
done:
    PyMem_Free(heap);
    PyMem_Free(rated);
    return result;
}

static int get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, const char *kinds,
                      const char *what)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    const char *format = view->format ? view->format : "B";
    char kind = format[strlen(format) - 1];
    if (view->itemsize != itemsize || !strchr(kinds, kind)) {
        PyErr_Format(PyExc_TypeError, "mes core: %s must hold %zd-byte items of type %s", what,
                     itemsize, kinds);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* The arrays core.py builds, checked anyway: a bad index here would write out of bounds. */
static int check_input(const Run *r, Py_ssize_t nstart, Py_ssize_t ngroups_listed,
                       Py_ssize_t ngroups, Py_ssize_t nprojects, Py_ssize_t nsupport,
                       Py_ssize_t nicost, const int32_t *candidates, Py_ssize_t ncand)
{
    int ok = nstart == nprojects + 1 && nsupport == nprojects && nicost == nprojects
             && r->start[0] == 0 && r->start[nprojects] <= ngroups_listed;
    /* (without early exits, so the compiler vectorizes them: add1 makes a thousand calls on
     * Budapest 2024, and each checks every supporter) */
    if (ok) {
        int bad = 0;
        for (Py_ssize_t p = 0; p < nprojects; p++)
            bad |= r->start[p] > r->start[p + 1];
        /* a negative index, read unsigned, is at least 2**31 */
        const uint32_t limit = ngroups > INT32_MAX ? (uint32_t)INT32_MAX + 1 : (uint32_t)ngroups;
        uint32_t largest = 0;
        for (Py_ssize_t i = 0; i < ngroups_listed; i++)
            largest = (uint32_t)r->groups[i] > largest ? (uint32_t)r->groups[i] : largest;
        bad |= ngroups_listed > 0 && largest >= limit;
        for (Py_ssize_t g = 0; g < ngroups; g++)
            bad |= !(r->weight[g] > 0) | !(r->weight[g] < 9007199254740992.0);     /* 2**53 */
        ok = !bad;
    }
    for (Py_ssize_t i = 0; ok && i < ncand; i++)
        ok = candidates[i] >= 0 && candidates[i] < nprojects && r->costf[candidates[i]] > 0
             && r->support[candidates[i]] > 0;
    if (!ok)
        PyErr_SetString(PyExc_ValueError, "mes core: inconsistent input arrays");
    return ok ? 0 : -1;
}

/* Every voter in class 0, holding b (the start of a run). */
static int start_run(Run *r, Py_ssize_t ngroups, double b)
{
    r->cls = PyMem_Calloc(ngroups ? ngroups : 1, sizeof(int32_t));    /* everyone in class 0 */
    r->dsu = PyMem_Calloc(ngroups ? ngroups : 1, sizeof(double));
    if (!r->cls || !r->dsu) {
        PyErr_NoMemory();
        return -1;
    }
    if (grow_classes(r, 64) < 0)
        return -1;
    r->classes = 1;
    r->bf[0] = b;
    r->ef[0] = 2 * U * b;       /* as state.py: twice |b - float(b)|, so lo stays below */
    r->lo[0] = b - 2 * U * b;
    r->sf[0] = 1.0;
    r->su[0] = 1.0;
    r->sl[0] = 1.0;
    r->rel_s = 2 * U;
    r->rel_u = 2 * U;
    return 0;
}

const char mescore_run_doc[] =
"run(start, groups, weight, costf, support, candidates, icost, by_cost, b, reach=0)\n"
"    -> (selected, finished, horizon[, certificate])\n\n"
"One MES run at the per-voter budget b (float). start: int64 per project + 1 (CSR offsets\n"
"into groups); groups: int32 supporting groups; weight: float64 voters per group; costf and\n"
"support (voters): float64 per project; candidates: int32; icost: int64 per project, its\n"
"exact cost when a whole number, else -1. finished is False when the run\n"
"stopped at a close call: selected then holds the winners decided before it. horizon (when\n"
"finished): the outcome is the same for every per-voter budget in [b, b + horizon).\n"
"reach > 0: a finished run also returns what certify() reads (an opaque tuple), for budgets\n"
"up to b + reach.";

enum { START, GROUPS, WEIGHT, COSTF, SUPPORT, CANDIDATES, ICOST, NARRAY_INPUTS };

/* The profile's arrays into r (views[0 .. *got) to release), checked, and a run started at b. */
static int load_input(PyObject *const objs[NARRAY_INPUTS], Py_buffer views[NARRAY_INPUTS],
                      int *got, Run *r, int by_cost, double b, Py_ssize_t *ncand)
{
    static const Py_ssize_t sizes[NARRAY_INPUTS] = {8, 4, 8, 8, 8, 4, 8};
    static const char *kinds[NARRAY_INPUTS] = {"lq", "i", "d", "d", "d", "i", "lq"};
    static const char *names[NARRAY_INPUTS] = {"start", "groups", "weight", "costf", "support",
                                               "candidates", "icost"};
    for (; *got < NARRAY_INPUTS; (*got)++)
        if (get_buffer(objs[*got], &views[*got], sizes[*got], kinds[*got], names[*got]) < 0)
            return -1;
    Py_ssize_t ngroups = views[WEIGHT].len / 8;
    *ncand = views[CANDIDATES].len / 4;
    r->start = views[START].buf;
    r->groups = views[GROUPS].buf;
    r->weight = views[WEIGHT].buf;
    r->costf = views[COSTF].buf;
    r->support = views[SUPPORT].buf;
    r->icost = views[ICOST].buf;
    r->by_cost = by_cost;
    r->b = b;
    if (check_input(r, views[START].len / 8, views[GROUPS].len / 4, ngroups,
                    views[COSTF].len / 8, views[SUPPORT].len / 8, views[ICOST].len / 8,
                    views[CANDIDATES].buf, *ncand) < 0)
        return -1;
    if (!(b >= 0 && b < Py_HUGE_VAL)) {
        PyErr_SetString(PyExc_ValueError, "mes core: the per-voter budget must be finite, >= 0");
        return -1;
    }
    return start_run(r, ngroups, b);
}

static void free_run(Run *r)
{
    PyMem_Free(r->cls);
    PyMem_Free(r->dsu);
    PyMem_Free(r->bf);
    PyMem_Free(r->ef);
    PyMem_Free(r->lo);
    PyMem_Free(r->sf);
    PyMem_Free(r->su);
    PyMem_Free(r->sl);
    PyMem_Free(r->drained);
    PyMem_Free(r->count);
    PyMem_Free(r->touched);
    PyMem_Free(r->batch);
    PyMem_Free(r->spare);
    PyMem_Free(r->capped);
    PyMem_Free(r->kept_touched);
    PyMem_Free(r->kept_capped);
    PyMem_Free(r->kept_count);
    PyMem_Free(r->child);
}

static int read_certificate(PyObject *certificate, PyObject *winners_obj, const Run *r,
                            Py_ssize_t nprojects, Lines *c, int32_t **winners,
                            Py_ssize_t *nrounds);

/* The seed of a certified run at b (seed_round), from the run at b1 <= b: its reach made at
 * most reach1 - delta. 1: seeded; 0: no seed (b1 > b, or less than half the reach left);
 * -1: an error. */
static int start_seed(Run *r, Seed *s, PyObject *seed_winners, PyObject *seed_cert,
                      Py_ssize_t nprojects, int32_t **winners)
{
    Py_ssize_t nrounds;
    if (read_certificate(seed_cert, seed_winners, r, nprojects, &s->c, winners, &nrounds) < 0)
        return -1;
    const double b = r->b, b1 = s->c.b1;
    if (!(b1 <= b))
        return 0;
    s->delta = ((b - b1) + 4 * U * (b + b1)) * (1 + 4 * U);
    double left = (s->c.reach - s->delta) * (1 - 8 * U);
    if (!(left >= r->reach / 2))
        return 0;
    r->reach = smaller(r->reach, left);
    s->winners = *winners;
    s->nrounds = nrounds;
    s->following = 1;
    s->stamp = PyMem_Malloc((nprojects + 1) * sizeof(int32_t));
    s->line = PyMem_Malloc((nprojects + 1) * sizeof(double));
    s->line_slope = PyMem_Malloc((nprojects + 1) * sizeof(double));
    s->out = PyMem_Malloc((nprojects + 1) * sizeof(double));
    s->spare = PyMem_Malloc((nprojects + 1) * sizeof(Entry));
    if (!s->stamp || !s->line || !s->line_slope || !s->out || !s->spare) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < nprojects; i++)
        s->stamp[i] = -1;
    return 1;
}

static void free_seed(Seed *s)
{
    PyMem_Free(s->stamp);
    PyMem_Free(s->line);
    PyMem_Free(s->line_slope);
    PyMem_Free(s->out);
    PyMem_Free(s->spare);
}

PyObject *mescore_run(PyObject *self, PyObject *args)
{
    PyObject *objs[NARRAY_INPUTS], *seed_winners = Py_None, *seed_cert = Py_None;
    int by_cost;
    double b, reach = 0.0;
    if (!PyArg_ParseTuple(args, "OOOOOOOpd|dOO", &objs[0], &objs[1], &objs[2], &objs[3],
                          &objs[4], &objs[5], &objs[6], &by_cost, &b, &reach, &seed_winners,
                          &seed_cert))
        return NULL;
    int certified = reach > 0;
    if (certified && !(reach < Py_HUGE_VAL)) {
        PyErr_SetString(PyExc_ValueError, "mes core: a certificate's reach must be finite");
        return NULL;
    }
    Py_buffer views[NARRAY_INPUTS];
    int got = 0;
    PyObject *selected = NULL, *result = NULL;
    Run r;
    Certificate cert;
    Seed seed;
    int seeded = 0;
    int32_t *seed_order = NULL;
    memset(&r, 0, sizeof r);
    memset(&cert, 0, sizeof cert);
    memset(&seed, 0, sizeof seed);
    Py_ssize_t ncand;
    if (load_input(objs, views, &got, &r, by_cost, b, &ncand) < 0)
        goto done;
    r.reach = reach;
    r.upper = certified;
    if (certified && seed_cert != Py_None) {
        seeded = start_seed(&r, &seed, seed_winners, seed_cert, views[COSTF].len / 8,
                            &seed_order);
        if (seeded < 0)
            goto done;
    }
    if (certified) {
        cert.capacity = 4 * ncand + 16;
        cert.offset = PyMem_Malloc((ncand + 1) * sizeof(int64_t));
        cert.key = PyMem_Malloc(cert.capacity * sizeof(double));
        cert.slope = PyMem_Malloc(cert.capacity * sizeof(double));
        cert.proj = PyMem_Malloc(cert.capacity * sizeof(int32_t));
        cert.out_p = PyMem_Malloc((ncand + 1) * sizeof(int32_t));
        cert.out_round = PyMem_Malloc((ncand + 1) * sizeof(int32_t));
        cert.out_for = PyMem_Malloc((ncand + 1) * sizeof(double));
        if (!cert.offset || !cert.key || !cert.slope || !cert.proj || !cert.out_p
                || !cert.out_round || !cert.out_for) {
            PyErr_NoMemory();
            goto done;
        }
    }
    selected = PyList_New(0);
    if (!selected)
        goto done;
    double horizon;
    int finished = run_rounds(&r, views[CANDIDATES].buf, ncand, selected, &horizon,
                              certified ? &cert : NULL, seeded ? &seed : NULL);
    if (seeded)         /* (seed_round: every seeded line holds for e <= r.reach only) */
        horizon = smaller(horizon, r.reach);
    if (finished >= 0 && !certified)
        result = Py_BuildValue("(OOd)", selected, finished ? Py_True : Py_False, horizon);
    else if (finished >= 0) {
        Py_ssize_t rounds = PyList_GET_SIZE(selected);
        result = Py_BuildValue(
            "(OOd(y#y#y#y#y#y#y#dd))", selected, finished ? Py_True : Py_False, horizon,
            (const char *)cert.offset, (Py_ssize_t)((rounds + 1) * sizeof(int64_t)),
            (const char *)cert.key, (Py_ssize_t)(cert.n * sizeof(double)),
            (const char *)cert.slope, (Py_ssize_t)(cert.n * sizeof(double)),
            (const char *)cert.proj, (Py_ssize_t)(cert.n * sizeof(int32_t)),
            (const char *)cert.out_p, (Py_ssize_t)(cert.nout * sizeof(int32_t)),
            (const char *)cert.out_round, (Py_ssize_t)(cert.nout * sizeof(int32_t)),
            (const char *)cert.out_for, (Py_ssize_t)(cert.nout * sizeof(double)),
            b, r.reach);
    }
done:
    PyMem_Free(seed_order);
    free_seed(&seed);
    PyMem_Free(cert.offset);
    PyMem_Free(cert.key);
    PyMem_Free(cert.slope);
    PyMem_Free(cert.proj);
    PyMem_Free(cert.out_p);
    PyMem_Free(cert.out_round);
    PyMem_Free(cert.out_for);
    Py_XDECREF(selected);
    while (got-- > 0)
        PyBuffer_Release(&views[got]);
    free_run(&r);
    return result;
}

/* A rival walked again by certify_rounds, at b' in the round it was walked: a lower bound
 * key + slope * d' of its rho at b' + d' (d' in [0, reach]) for that round and every later one
 * (rho never decreases within a run), or (out < HUGE) no contender while d' < out. */
typedef struct {
    int32_t *round;         /* per project: the round it was walked in, -1: not walked */
    double *key, *slope, *out;
    double *whole;          /* its walk capped nothing and met every supporter: its voters */
    char *contender;        /* found unaffordable at b1, affordable at b': in `extra` */
    int32_t *extra;
    Py_ssize_t nextra;
} Fresh;

static inline double larger(double a, double b)
{
    return b > a ? b : a;
}

/* Upper bounds of the winner's rho at b' + x: hi - fall * min(x, reach) for each of two
 * (hi, fall, reach) (certify_rounds: its capped classes' rise, and the chord). */
typedef struct {
    double hi[2], fall[2], reach[2];
    int chord;              /* the second bound is there */
    double whole;           /* its walk capped nothing: its voters (its rho is exact), or -1 */
} WinnerBound;

/* How far past b' (x) a rival's line key + slope * (delta + x) stays strictly above the
 * winner's upper bound hi - fall * min(x, reach_w): a bound from below, HUGE_VAL when it
 * stays above for every x, -1 when it is not above at x = 0. delta: an upper bound of how far
 * b' is past the line's root. */
static double line_limit(double key, double slope, double delta, double hi, double fall,
                         double reach_w)
{
    double a = -slope * (1 + 4 * U);                /* >= the rival's fall, >= 0 */
    double ad = a * delta * (1 + 4 * U);
    double g = key - ad - hi;
    g -= 8 * U * (key + ad + hi);                   /* <= the exact gap at x = 0 */
    if (!(g > 0))
        return -1.0;
    /* The gap at x: g - (a - fall) x while x <= reach_w, then g + fall reach_w - a x. */
    double first = a * (1 + 4 * U) - fall * (1 - 4 * U);
    first += 4 * U * (a + fall);
    if (first > 0 && g / first * (1 - 8 * U) < reach_w)
        return g / first * (1 - 8 * U);
    if (a > 0)
        return (g + fall * reach_w * (1 - 8 * U)) / a * (1 - 8 * U);
    return Py_HUGE_VAL;
}

/* Walk p again at b' in round k (the state of the run at b' after the winners before k) and
 * keep what it proves in f (run_rounds' rho - err and slope_u bounds, or its horizon_u). */
static void refresh(Run *r, int p, int32_t k, Fresh *f)
{
    Walk v;
    int status = evaluate(r, p, &v);
    f->round[p] = k;
    f->key[p] = -Py_HUGE_VAL;       /* UNCLEAR: proves nothing */
    f->slope[p] = 0.0;
    f->out[p] = Py_HUGE_VAL;
    f->whole[p] = -1.0;
    if (status == UNAFFORDABLE) {
        f->out[p] = smaller(v.horizon_u * (1 - 8 * U), r->reach);
    } else if (status == AFFORDABLE) {
        if (r->ncapped == 0 && r->uncapped == r->support[p])
            f->whole[p] = r->uncapped;
        clear_counts(r);
        double u = r->by_cost ? r->costf[p] : 1.0;
        double rho = v.q / u;
        f->key[p] = rho - 2 * (v.eq / u + 2 * U * rho);
        f->slope[p] = v.q_slope_u / u
            * (1 + 2 * (r->rel_u + (double)(r->start[p + 1] - r->start[p] + 4) * U));
    }
}

/* An upper bound of the winner p's price at b' + D in its lower system (certify_rounds says
 * why it bounds the true price): the price with the budgets lo_c + sl_c * D of the classes its
 * walk met (kept_touched, kept_count), found by Newton's method from below (the paid sum is
 * concave in the price) and then checked; HUGE_VAL when the check fails. */
static double chord_price(Run *r, int p, double D)
{
    if (!(D > 0) || !(D < Py_HUGE_VAL))
        return Py_HUGE_VAL;
    const Py_ssize_t nt = r->kept_ntouched;
    const double cost = r->costf[p];
    double N = 0.0;
    for (Py_ssize_t i = 0; i < nt; i++)
        N += r->kept_count[i];                  /* whole numbers below 2**53: exact */
    double q = cost / N;                        /* (the paid sum is at most the cost) */
    for (int it = 0; it < 40; it++) {
        double S = 0.0, Wu = 0.0;
        for (Py_ssize_t i = 0; i < nt; i++) {
            int32_t cl = r->kept_touched[i];
            double L = (r->lo[cl] > 0 ? r->lo[cl] : 0.0) + r->sl[cl] * D;
            if (L > q) {
                Wu += r->kept_count[i];
                S += r->kept_count[i] * q;
            } else {
                S += r->kept_count[i] * L;
            }
        }
        if (!(Wu > 0))
            return Py_HUGE_VAL;
        double step = (cost - S) / Wu;
        if (!(step > 1e-13 * q))
            break;
        q += step;
    }
    /* Check: with every budget at least lo_c + sl_c * D (both rounded down), the sum paid at
     * the price qh is at least the cost, so the price is at most qh. */
    double qh = q * (1 + 1e-12);
    double S = 0.0;
    for (Py_ssize_t i = 0; i < nt; i++) {
        int32_t cl = r->kept_touched[i];
        double L = ((r->lo[cl] > 0 ? r->lo[cl] : 0.0) + r->sl[cl] * D * (1 - 2 * U))
            * (1 - 2 * U);
        S += r->kept_count[i] * (L < qh ? L : qh);
    }
    if (!(S * (1 - 2 * (double)(nt + 4) * U) >= cost * (1 + 2 * U)))
        return Py_HUGE_VAL;
    return qh;
}

/* line_limit against the winner's bounds: the gap stays positive while it does against
 * either bound (each gap is concave in x: positive on an interval from 0) */
static double beat_limit(Run *r, int p, WinnerBound *wb, double key, double slope,
                         double delta, double x)
{
    double limit = line_limit(key, slope, delta, wb->hi[0], wb->fall[0], wb->reach[0]);
    if (limit >= x)
        return limit;
    if (wb->chord > 0)
        limit = larger(limit, line_limit(key, slope, delta, wb->hi[1], wb->fall[1],
                                         wb->reach[1]));
    return limit;
}

/* p (rho 1/Wp or cost/Wp, exactly, at b') before q (constant rho 1/Wq or cost/Wq) in
 * exactly_before's order */
static int whole_before(const Run *r, int p, double Wp, int q, double Wq)
{
    if (r->by_cost) {
        if (Wp != Wq)
            return Wp > Wq;
    } else {
#ifdef __SIZEOF_INT128__
        if (r->icost[p] < 0 || r->icost[q] < 0)
            return 0;
        __int128 a = (__int128)r->icost[p] * (int64_t)Wq;
        __int128 b = (__int128)r->icost[q] * (int64_t)Wp;
        if (a != b)
            return a < b;
#else
        return 0;
#endif
    }
    return p < q;
}

static double fresh_limit(Run *r, int p, const Fresh *f, int q, WinnerBound *wb, double x)
{
    if (f->out[q] < Py_HUGE_VAL)
        return f->out[q];
    /* An exact tie (certify_rounds): q's rho stays 1/Wq (cost/Wq) at every b'' >= b', p's
     * stays at most its exact rho at b', and p comes first. */
    if (wb->whole > 0 && f->whole[q] > 0 && whole_before(r, p, wb->whole, q, f->whole[q]))
        return Py_HUGE_VAL;
    return smaller(beat_limit(r, p, wb, f->key[q], f->slope[q], 0.0, x), r->reach);
}

/* The line of a rival q in round k, or of a project found unaffordable in round k at b1 that
 * is affordable at b' (a contender from round k on, `extra`): how far it proves the winner,
 * walking q again at b' when the bound at hand is below x. */
static double rival_limit(Run *r, int p, WinnerBound *wb, int q, Py_ssize_t k, double limit,
                          double x, Fresh *fresh)
{
    if (limit >= x)
        return limit;
    if (fresh->round[q] >= 0)
        limit = larger(limit, fresh_limit(r, p, fresh, q, wb, x));
    if (limit < x && fresh->round[q] < k) {
        refresh(r, q, (int32_t)k, fresh);
        limit = larger(limit, fresh_limit(r, p, fresh, q, wb, x));
    }
    return limit;
}

/* certify(): is the outcome at b' the one of the certified run at b <= b'?
 *
 * Fix the winners w_1 .. w_n of the run at b. Along that sequence every voter's budget is a
 * non-decreasing function of the per-voter budget: a price q solves
 * sum_i min(B_i, q) = cost, so it does not grow when the B_i grow, and a supporter keeps
 * max(B_i - q, 0). So for b' >= b: a class uncapped at b stays uncapped, and holds at least
 * its budget at b plus b' - b; a winner's rho at b' is at most its rho at b.
 *
 * The upper system bounds every budget from above by a line in d = b' - b, equal to the budget
 * at d = 0: a class c holding B_c(b) gets B_c(b) + su_c * d, a drained group 0 + dsu_g * d.
 * With those budgets a project's price is convex in d (walk.py: sum_c n_c min(U_c(d), q) is
 * jointly concave in (d, q) when every U_c is affine), and it is at most the true price, so
 * the tangent at d = 0 (the walk's q_slope_u: the capped classes' and drained groups' su, over
 * the voters left uncapped) is a lower bound of the true price for every d >= 0 and whatever
 * the capped sets do. Funding w with price q_w(b') >= q_w(b) + s * d (that tangent), a payer
 * keeps at most U_c - q_w(b) - s * d: an uncapped class's child gets su_c - s, a capped
 * class's groups (B_c(b) <= q_w(b)) get dsu = su_c - s, and a drained group keeps its dsu.
 *
 * run(..., certificate=True) records per round the line (rho - err, slope_u lower bound) of
 * every rival: evaluated this round, or left in the heap with a lower bound from an earlier
 * round (rho never decreases within a run). Each is below the rival's true rho in that round
 * at every b' >= b as long as the rounds before went the same way. A project found
 * unaffordable stays so while its supporters' upper budgets stay below its cost
 * (horizon_u). So if, round by round at b', the winner w_k is affordable with an upper bound
 * of its rho (rho + err, from its walk at b') strictly below every rival's line at d, and
 * d < every horizon_u, then by induction on the rounds the run at b' funds w_1 .. w_n in
 * order and then finds nothing affordable: the same outcome. Only the winners are walked.
 *
 * The drained groups' lines hold for d <= reach only (drained_slope), so d must be <= reach.
 * One walk proves a whole interval [b', b''] (b <= b'): along the same winners, the winner's
 * rho at any budget in it is at most its rho at b' (budgets grow with b'), and every rival's
 * line is lowest at d'' = b'' - b; so the walks are made at b' and the lines read at d''.
 *
 * Walking a rival again at b' (certify_rounds, where a line from b is too low). The argument
 * above, made with b' in place of b, holds for the run at b' itself: by the induction the
 * state after w_1 .. w_{k-1} at b' is the one certify has built, and certify tracks the upper
 * system from b' (su, dsu, with chords over [0, reach] from b') as the full run does. So a
 * rival q walked in round k at b' gives, like a rated project of run_rounds, a line
 * rho - err + slope_u * d' (d' = b'' - b') below its true rho in round k at every b'' in
 * [b', b' + reach], and in every later round (rho never decreases within a run); or, found
 * unaffordable, it stays so in round k and after while d' < its horizon_u. (That reach is
 * x0 below: no interval proven goes further, and the chords are tighter.) Both the line from
 * b and the one from b' are lower bounds, so the larger proves the most. A project the run
 * at b found unaffordable in round k (it had lines in the rounds before: it was in the heap)
 * is walked again in round k when its horizon_u is too short; found affordable at b', it is a
 * contender from round k on (`extra`): its line from b' must stay above every later winner,
 * and after the last winner it must be found unaffordable again (with a horizon). With every
 * contender of every round bounded so, the induction goes through as above.
 *
 * The winner's bound (its lower system, sharper). x0 = reach - delta bounds every interval
 * the call proves. Along the same winners a class c met at b' holds, at b' + d (d in [0, x0]),
 * at least B_c(b') + sl_c d: sl = 1 at the start (every voter gets d), and a class that pays
 * a winner whose price is at most Q(b') - f d on [0, x0] has a child with sl_c + f (it keeps
 * B_c + sl_c d - price). Such an f: the winner's price at b' + d is at most Q_L(d), the price
 * with the budgets B_c + sl_c d of the classes its walk meets (the drained ones hold at least
 * 0), and Q_L is convex in d (as above: sum_c n_c min(B_c + sl_c d, q) is jointly concave)
 * and non-increasing. (i) While its capped set stays (d <= reach_w = gap / (max sl + fall))
 * Q_L falls at the capped classes' growth over the uncapped voters, and after that it does
 * not rise: Q_L(d) <= Q(b') - fall min(d, reach_w), and min(d, reach_w) >= d min(1, reach_w /
 * x0) on [0, x0] (a concave function above its chord). (ii) chord_price finds a price at
 * which the budgets lo_c + sl_c x0 pay at least the cost, so Q_L(x0) is below it, and by
 * convexity Q_L is below the chord from Q(b') (>= q - eq) to it on [0, x0]. The larger slope
 * is f. The winner's rho is below hi - fall min(x, reach_w) and below the chord from hi to
 * that price (over u), so a rival's line above either at every point of [0, x) is above rho
 * there; each gap is concave in x, so line_limit's x for each is an interval from 0, and the
 * larger of the two is proven.
 *
 * Exact ties (fresh_limit; run_rounds decides them by decidable() and exactly_before()).
 * When the winner's walk at b' caps nothing, its rho there is exactly 1/W (Cost_Sat) or
 * cost/W (W: its voters holding money), and at b'' >= b' it is at most that. When a rival's
 * walk at b' caps nothing and meets every supporter (none drained), all of them hold more
 * than its price at b'' too (budgets grow), so its rho stays exactly 1/W_q (cost/W_q). If
 * the winner comes first in exactly_before's order at those exact values, it comes first at
 * every b'' >= b' (a lower rho only helps): that rival bounds nothing. */
static double certify_rounds(Run *r, const int32_t *winners, Py_ssize_t nrounds,
                             const Lines *c, Fresh *fresh)
{
    const double b = r->b;
    if (!(c->b1 <= b))
        return -1.0;
    /* b, b1: floats within U * b of the exact budgets; delta: an upper bound of b' - b1 */
    const double delta = ((b - c->b1) + 4 * U * (b + c->b1)) * (1 + 4 * U);
    double x = (c->reach - delta) * (1 - 8 * U);
    const double x0 = x;    /* every interval proven is within [b', b' + x0) */
    /* The upper system from b' (rivals walked again) needs to hold only where an interval may
     * be proven: its drained groups' chords over [0, x0], not [0, reach], are tighter (a
     * tenth fewer calls on Budapest 2024); every line or horizon it gives is capped at it. */
    if (x0 > 0)
        r->reach = smaller(r->reach, x0);
    Py_ssize_t next_out = 0;
    for (Py_ssize_t k = 0; k <= nrounds && x > 0; k++) {
        double hi = 0.0, fall = 0.0, reach_w = 0.0;
        WinnerBound wb;
        wb.chord = 0;
        wb.whole = -1.0;
        int p = -1;
        Walk w;
        if (k < nrounds) {
            p = winners[k];
            if (evaluate(r, p, &w) != AFFORDABLE)
                return -1.0;                /* (evaluate cleared the counts) */
            double u = r->by_cost ? r->costf[p] : 1.0;
            double rho = w.q / u;
            hi = (rho + 2 * (w.eq / u + 2 * U * rho)) * (1 + 4 * U);
            wb.whole = r->ncapped == 0 ? r->uncapped : -1.0;
            /* The winner's lower system: voters keep at least their budget at b' plus the
             * growth of b, so while the classes its walk capped stay below the price (for
             * x <= reach_w), its price falls at least as fast as capped voters / uncapped
             * voters per unit of b; after that it does not rise (budgets grow). Lower bounds
             * of both: */
            double capped_growth = 0.0, max_sl = 0.0, highest = -Py_HUGE_VAL;
            for (Py_ssize_t i = 0; i < r->ncapped; i++) {
                int32_t cl = r->capped[i];
                capped_growth += r->count[cl] * r->sl[cl];
                max_sl = larger(max_sl, r->sl[cl]);
                if (r->bf[cl] + r->ef[cl] > highest)
                    highest = r->bf[cl] + r->ef[cl];
            }
            r->fall_q = 0.0;
            if (capped_growth > 0 && r->uncapped > 0) {
                double fq = capped_growth / r->uncapped * (1 - 4 * (double)(r->ncapped + 4) * U);
                double gap = (w.q - w.eq) - highest;
                if (gap > 0) {
                    fall = fq / u * (1 - 8 * U);
                    reach_w = gap / ((max_sl + fq) * (1 + 4 * U)) * (1 - 8 * U);
                    r->fall_q = fq * smaller(1.0, reach_w / x0) * (1 - 8 * U);
                }
            }
            /* the winner's walk, kept for fund(): rivals may be walked below */
            memcpy(r->kept_touched, r->touched, r->ntouched * sizeof(int32_t));
            memcpy(r->kept_capped, r->capped, r->ncapped * sizeof(int32_t));
            for (Py_ssize_t i = 0; i < r->ntouched; i++)
                r->kept_count[i] = r->count[r->touched[i]];
            r->kept_ntouched = r->ntouched;
            r->kept_ncapped = r->ncapped;
            clear_counts(r);
            /* The chord of the lower system's price over [0, x0] */
            double qD = chord_price(r, p, x0);
            wb.chord = 0;
            if (qD < Py_HUGE_VAL) {
                double fc = ((w.q - w.eq) - qD - 4 * U * (w.q + qD)) / x0 * (1 - 8 * U);
                r->fall_q = larger(r->fall_q, fc);
                double hD = qD / u * (1 + 4 * U);
                if (hD < hi) {
                    wb.chord = 1;
                    wb.hi[1] = hi;
                    wb.fall[1] = (hi - hD) / x0 * (1 - 8 * U);
                    wb.reach[1] = x0 * (1 - 4 * U);
                }
            }
        } else {
            /* After the last winner no project may be affordable: an extra walked again here
             * must be unaffordable (a line proves nothing in this round). */
            hi = Py_HUGE_VAL;
        }
        wb.hi[0] = hi;
        wb.fall[0] = fall;
        wb.reach[0] = reach_w;
        /* The projects the run at b1 found unaffordable in this round: out of the contest
         * while d < out_for, or walked again at b'. */
        for (; next_out < c->nout && c->out_round[next_out] <= k && x > 0; next_out++) {
            int q = c->out_p[next_out];
            double limit = (c->out_for[next_out] - delta) * (1 - 8 * U);
            if (limit < x && fresh->round[q] < (int32_t)k)
                refresh(r, q, (int32_t)k, fresh);
            if (limit < x && fresh->round[q] == (int32_t)k) {
                if (fresh->out[q] < Py_HUGE_VAL)
                    limit = larger(limit, fresh->out[q]);
                else if (!fresh->contender[q]) {     /* affordable at b' in round k */
                    fresh->contender[q] = 1;
                    fresh->extra[fresh->nextra++] = q;
                }
            }
            if (limit < x && !fresh->contender[q] && !(limit > 0))
                return -1.0;
            if (!fresh->contender[q])
                x = smaller(x, limit);
        }
        if (k == nrounds) {
            for (Py_ssize_t i = 0; i < fresh->nextra && x > 0; i++) {
                int q = fresh->extra[i];
                if (!(fresh->out[q] < Py_HUGE_VAL))     /* (out in an earlier round: still) */
                    refresh(r, q, (int32_t)k, fresh);
                if (!(fresh->out[q] > 0 && fresh->out[q] < Py_HUGE_VAL))
                    return -1.0;                        /* affordable, or unclear */
                x = smaller(x, fresh->out[q]);
            }
            break;
        }
        for (int64_t i = c->offset[k]; i < c->offset[k + 1] && x > 0; i++) {
            double limit = beat_limit(r, p, &wb, c->key[i], c->slope[i], delta, x);
            /* A line from b1 too low: the rival's own walk at b' may prove more (see above
             * certify_rounds). */
            limit = rival_limit(r, p, &wb, c->proj[i], k, limit, x, fresh);
            if (!(limit > 0))
                return -1.0;
            x = smaller(x, limit);
        }
        for (Py_ssize_t i = 0; i < fresh->nextra && x > 0; i++) {
            double limit = rival_limit(r, p, &wb, fresh->extra[i], k, -1.0, x, fresh);
            if (!(limit > 0))
                return -1.0;
            x = smaller(x, limit);
        }
        if (fund(r, p, &w, 1, r->kept_ntouched) < 0)
            return -2.0;
    }
    return x > 0 ? x : -1.0;
}

const char mescore_certify_doc[] =
"certify(start, groups, weight, costf, support, candidates, icost, by_cost, b, winners,\n"
"        certificate) -> x\n\n"
"x > 0: the run at every per-voter budget in [b, b + x) is proven to fund exactly\n"
"`winners`, in order: the winners of a finished run(..., reach) at a budget b1 <= b, with\n"
"the certificate it returned (rounds.c, certify_rounds, says why). Only the winners are\n"
"walked, at b. x <= 0 proves nothing.";

/* A run's certificate (its opaque tuple) and winners into c and *winners (a PyMem block the
 * caller frees), checked against the profile loaded in r: 0, or -1 with an exception set. */
static int read_certificate(PyObject *certificate, PyObject *winners_obj, const Run *r,
                            Py_ssize_t nprojects, Lines *c, int32_t **winners,
                            Py_ssize_t *nrounds)
{
    const char *offset_bytes, *key_bytes, *slope_bytes, *proj_bytes, *out_p_bytes,
        *out_round_bytes, *out_for_bytes;
    Py_ssize_t noffset, nkey, nslope, nproj, nout_p, nout_round, nout_for;
    if (!PyTuple_Check(certificate)) {
        PyErr_SetString(PyExc_TypeError, "mes core: a certificate is a tuple");
        return -1;
    }
    if (!PyArg_ParseTuple(certificate, "y#y#y#y#y#y#y#dd", &offset_bytes, &noffset, &key_bytes,
                          &nkey, &slope_bytes, &nslope, &proj_bytes, &nproj, &out_p_bytes,
                          &nout_p, &out_round_bytes, &nout_round, &out_for_bytes, &nout_for,
                          &c->b1, &c->reach))
        return -1;
    PyObject *seq = PySequence_Fast(winners_obj, "mes core: winners must be a sequence");
    if (!seq)
        return -1;
    *nrounds = PySequence_Fast_GET_SIZE(seq);
    const Py_ssize_t nlines = nkey / (Py_ssize_t)sizeof(double);
    c->offset = (const int64_t *)offset_bytes;
    c->key = (const double *)key_bytes;
    c->slope = (const double *)slope_bytes;
    c->proj = (const int32_t *)proj_bytes;
    c->out_p = (const int32_t *)out_p_bytes;
    c->out_round = (const int32_t *)out_round_bytes;
    c->out_for = (const double *)out_for_bytes;
    c->nout = nout_p / (Py_ssize_t)sizeof(int32_t);
    int ok = noffset == (*nrounds + 1) * (Py_ssize_t)sizeof(int64_t) && nkey == nslope
             && nkey % sizeof(double) == 0 && c->offset[0] == 0
             && c->offset[*nrounds] == nlines
             && nproj == nlines * (Py_ssize_t)sizeof(int32_t)
             && nout_p % sizeof(int32_t) == 0 && nout_round == nout_p
             && nout_for == c->nout * (Py_ssize_t)sizeof(double);
    for (Py_ssize_t k = 0; ok && k < *nrounds; k++)
        ok = c->offset[k] <= c->offset[k + 1];
    for (Py_ssize_t i = 0; ok && i < nlines; i++)
        ok = c->proj[i] >= 0 && c->proj[i] < nprojects && r->costf[c->proj[i]] > 0;
    for (Py_ssize_t i = 0; ok && i < c->nout; i++)
        ok = c->out_p[i] >= 0 && c->out_p[i] < nprojects && r->costf[c->out_p[i]] > 0
             && c->out_round[i] >= (i ? c->out_round[i - 1] : 0)
             && c->out_round[i] <= *nrounds;
    *winners = PyMem_Malloc((*nrounds + 1) * sizeof(int32_t));
    if (!*winners) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; ok && k < *nrounds; k++) {
        long p = PyLong_AsLong(PySequence_Fast_GET_ITEM(seq, k));
        ok = p >= 0 && p < nprojects && r->costf[p] > 0;
        (*winners)[k] = (int32_t)p;
    }
    Py_DECREF(seq);
    if (PyErr_Occurred())
        return -1;
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "mes core: inconsistent certificate");
        return -1;
    }
    return 0;
}

PyObject *mescore_certify(PyObject *self, PyObject *args)
{
    PyObject *objs[NARRAY_INPUTS], *winners_obj, *certificate;
    int by_cost;
    double b;
    Lines c;
    if (!PyArg_ParseTuple(args, "OOOOOOOpdOO", &objs[0], &objs[1], &objs[2], &objs[3],
                          &objs[4], &objs[5], &objs[6], &by_cost, &b, &winners_obj,
                          &certificate))
        return NULL;
    Py_buffer views[NARRAY_INPUTS];
    int got = 0;
    PyObject *result = NULL;
    int32_t *winners = NULL;
    Fresh fresh;
    memset(&fresh, 0, sizeof fresh);
    Run r;
    memset(&r, 0, sizeof r);
    Py_ssize_t ncand, nrounds;
    if (load_input(objs, views, &got, &r, by_cost, b, &ncand) < 0)
        goto done;
    Py_ssize_t nprojects = views[COSTF].len / 8;
    if (read_certificate(certificate, winners_obj, &r, nprojects, &c, &winners, &nrounds) < 0)
        goto done;
    r.upper = 1;            /* the upper system from b, for the rivals walked again */
    r.reach = c.reach;
    fresh.round = PyMem_Malloc((nprojects + 1) * sizeof(int32_t));
    fresh.key = PyMem_Malloc((nprojects + 1) * sizeof(double));
    fresh.slope = PyMem_Malloc((nprojects + 1) * sizeof(double));
    fresh.out = PyMem_Malloc((nprojects + 1) * sizeof(double));
    fresh.whole = PyMem_Malloc((nprojects + 1) * sizeof(double));
    fresh.contender = PyMem_Calloc(nprojects + 1, 1);
    fresh.extra = PyMem_Malloc((nprojects + 1) * sizeof(int32_t));
    if (!fresh.round || !fresh.key || !fresh.slope || !fresh.out || !fresh.whole
            || !fresh.contender || !fresh.extra) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < nprojects; i++)
        fresh.round[i] = -1;
    double proven = certify_rounds(&r, winners, nrounds, &c, &fresh);
    if (proven > -2.0)
        result = PyFloat_FromDouble(proven);
done:
    PyMem_Free(winners);
    PyMem_Free(fresh.round);
    PyMem_Free(fresh.key);
    PyMem_Free(fresh.slope);
    PyMem_Free(fresh.out);
    PyMem_Free(fresh.whole);
    PyMem_Free(fresh.contender);
    PyMem_Free(fresh.extra);
    while (got-- > 0)
        PyBuffer_Release(&views[got]);
    free_run(&r);
    return result;
}

/* A growable array of fixed-size items (the explanation's records). */
typedef struct {
    char *data;
    Py_ssize_t n, capacity, size;
} Buffer;

static int push(Buffer *b, const void *item)
{
    if (b->n == b->capacity) {
        Py_ssize_t cap = 2 * b->capacity + 64;
        if (resize(&b->data, cap * b->size) < 0) {
            PyErr_NoMemory();
            return -1;
        }
        b->capacity = cap;
    }
    memcpy(b->data + b->n * b->size, item, b->size);
    b->n++;
    return 0;
}

static inline int push_i32(Buffer *b, int32_t v) { return push(b, &v); }
static inline int push_i64(Buffer *b, int64_t v) { return push(b, &v); }

enum {
    ROUND_START, ROUND_CAPPED, PAY_CLASS, PAY_VOTERS,  /* per round, per class of payers */
    OUT_PROJECT, OUT_LIVE, OUT_START, OUT_ROUND, OUT_PAYERS,    /* per project left out */
    NRECORDS
};

/* What explain() returns: every winner's walk and what each left-out project's supporters
 * paid, round by round (mescore_explain_doc). Also per class, its parent and the round that
 * made it (parent, born). Returns 1, 0 when a walk could not be decided in floats, -1. */
static int explain_rounds(Run *r, const int32_t *winners, Py_ssize_t nrounds,
                          const int32_t *candidates, Py_ssize_t ncand, Py_ssize_t nprojects,
                          Buffer *out)
{
    int result = -1;
    Py_ssize_t room = 0;
    int32_t *parent = NULL, *born = NULL;
    int64_t *paid = PyMem_Calloc(nrounds + 1, sizeof(int64_t));
    char *won = PyMem_Calloc(nprojects + 1, 1);
    if (!paid || !won) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < nrounds; k++) {
        int p = winners[k];
        Walk w;
        int status = evaluate(r, p, &w);
        if (status != AFFORDABLE) {
            result = 0;             /* unclear here, or (not the run's winners) unaffordable */
            goto done;
        }
        Py_ssize_t nt = r->ntouched;
        if (push_i64(&out[ROUND_START], out[PAY_CLASS].n) < 0 || fund(r, p, &w, 0, nt) < 0)
            goto done;
        if (r->classes > room) {
            room = r->capacity;
            if (resize(&parent, room * sizeof(int32_t)) < 0
                    || resize(&born, room * sizeof(int32_t)) < 0) {
                PyErr_NoMemory();
                goto done;
            }
        }
        /* the capped classes first, then the others in the order of their new classes */
        if (push_i64(&out[ROUND_CAPPED], r->ncapped) < 0)
            goto done;
        for (Py_ssize_t i = 0; i < r->ncapped; i++) {
            int32_t c = r->capped[i];
            if (push_i32(&out[PAY_CLASS], c) < 0
                    || push_i64(&out[PAY_VOTERS], (int64_t)r->count[c]) < 0)
                goto done;
        }
        for (Py_ssize_t i = 0; i < nt; i++) {
            int32_t c = r->touched[i], child = r->child[c];
            if (child < 0)
                continue;
            if (push_i32(&out[PAY_CLASS], c) < 0
                    || push_i64(&out[PAY_VOTERS], (int64_t)r->count[c]) < 0)
                goto done;
            parent[child] = c;
            born[child] = (int32_t)k;
        }
        clear_counts(r);
        won[p] = 1;
    }
    if (push_i64(&out[ROUND_START], out[PAY_CLASS].n) < 0)
        goto done;
    /* Each left-out candidate: its supporters still holding money (live), and per round how
     * many of them paid that round's price (a class's budget is b minus the prices of the
     * rounds on its path to class 0). */
    for (Py_ssize_t i = 0; i < ncand; i++) {
        int p = candidates[i];
        if (won[p])
            continue;
        Py_ssize_t nt = 0;
        double live = 0.0;
        for (int64_t j = r->start[p]; j < r->start[p + 1]; j++) {
            int32_t g = r->groups[j], c = r->cls[g];
            if (c < 0)
                continue;
            r->touched[nt] = c;
            nt += r->count[c] == 0.0;
            r->count[c] += r->weight[g];
            live += r->weight[g];
        }
        r->ntouched = nt;
        for (Py_ssize_t j = 0; j < nt; j++) {
            int32_t c = r->touched[j];
            int64_t n = (int64_t)r->count[c];
            for (; c > 0; c = parent[c])
                paid[born[c]] += n;
        }
        clear_counts(r);
        if (push_i32(&out[OUT_PROJECT], p) < 0 || push_i64(&out[OUT_LIVE], (int64_t)live) < 0
                || push_i64(&out[OUT_START], out[OUT_ROUND].n) < 0)
            goto done;
        for (Py_ssize_t k = 0; k < nrounds; k++)
            if (paid[k]) {
                if (push_i32(&out[OUT_ROUND], (int32_t)k) < 0
                        || push_i64(&out[OUT_PAYERS], paid[k]) < 0)
                    goto done;
                paid[k] = 0;
            }
    }
    if (push_i64(&out[OUT_START], out[OUT_ROUND].n) < 0)
        goto done;
    result = 1;
done:
    PyMem_Free(paid);
    PyMem_Free(won);
    PyMem_Free(parent);
    PyMem_Free(born);
    return result;
}

const char mescore_explain_doc[] =
"explain(start, groups, weight, costf, support, candidates, icost, by_cost, b, winners)\n"
"    -> records or None\n\n"
"The run at the per-voter budget b that funds `winners` in order, walked again winner by\n"
"winner (only the winners), for its explanation: a tuple of bytes objects (native int32 /\n"
"int64 arrays): round_start (int64, per round + 1: where its payers start), round_capped\n"
"(int64, per round: its first payers, capped: they paid all they held), pay_class (int32: the\n"
"budget class of each class of payers; class 0: every voter at the start; each uncapped one\n"
"moves to a new class, numbered in order), pay_voters (int64); then per candidate not in\n"
"winners, in the order of `candidates`: out_project (int32), out_live (int64: its supporters\n"
"still holding money), out_start (int64, per project + 1), out_round (int32) and out_payers\n"
"(int64): for each round, how many of those supporters paid its full price. Each walk is the\n"
"exact one\n"
"(walk.py); None when a walk was too close to call in floats (the caller replays exactly).";

PyObject *mescore_explain(PyObject *self, PyObject *args)
{
    static const Py_ssize_t item[NRECORDS] = {8, 8, 4, 8, 4, 8, 8, 4, 8};
    PyObject *objs[NARRAY_INPUTS], *winners_obj;
    int by_cost;
    double b;
    if (!PyArg_ParseTuple(args, "OOOOOOOpdO", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4],
                          &objs[5], &objs[6], &by_cost, &b, &winners_obj))
        return NULL;
    Py_buffer views[NARRAY_INPUTS];
    int got = 0;
    PyObject *result = NULL, *seq = NULL;
    int32_t *winners = NULL;
    Buffer out[NRECORDS];
    memset(out, 0, sizeof out);
    for (int i = 0; i < NRECORDS; i++)
        out[i].size = item[i];
    Run r;
    memset(&r, 0, sizeof r);
    Py_ssize_t ncand;
    if (load_input(objs, views, &got, &r, by_cost, b, &ncand) < 0)
        goto done;
    seq = PySequence_Fast(winners_obj, "mes core: winners must be a sequence");
    if (!seq)
        goto done;
    Py_ssize_t nrounds = PySequence_Fast_GET_SIZE(seq);
    Py_ssize_t nprojects = views[COSTF].len / 8;
    const int32_t *candidates = views[CANDIDATES].buf;
    winners = PyMem_Malloc((nrounds + 1) * sizeof(int32_t));
    char *seen = PyMem_Calloc(nprojects + 1, 1);
    if (!winners || !seen) {
        PyMem_Free(seen);
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < ncand; i++)
        seen[candidates[i]] = 1;
    int ok = 1;
    for (Py_ssize_t k = 0; ok && k < nrounds; k++) {
        long p = PyLong_AsLong(PySequence_Fast_GET_ITEM(seq, k));
        ok = p >= 0 && p < nprojects && seen[p] == 1;     /* a candidate, funded once */
        if (ok) {
            seen[p] = 2;
            winners[k] = (int32_t)p;
        }
    }
    PyMem_Free(seen);
    if (PyErr_Occurred())
        goto done;
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "mes core: the winners must be distinct candidates");
        goto done;
    }
    int status = explain_rounds(&r, winners, nrounds, candidates, ncand, nprojects, out);
    if (status == 0) {
        result = Py_None;
        Py_INCREF(result);
    } else if (status > 0) {
        PyObject *items[NRECORDS];
        int i = 0;
        for (; i < NRECORDS; i++) {
            items[i] = PyBytes_FromStringAndSize(out[i].data ? out[i].data : "",
                                                 out[i].n * out[i].size);
            if (!items[i])
                break;
        }
        if (i == NRECORDS)
            result = mescore_tuple_of(items, NRECORDS);
        while (i-- > 0)
            Py_DECREF(items[i]);
    }
done:
    Py_XDECREF(seq);
    PyMem_Free(winners);
    for (int i = 0; i < NRECORDS; i++)
        PyMem_Free(out[i].data);
    while (got-- > 0)
        PyBuffer_Release(&views[got]);
    free_run(&r);
    return result;
}

const char mescore_payers_doc[] =
"payers(order, held, voters, classes, capped, budget, born, over, price, exact, fraction)\n"
"    -> list of dicts\n\n"
"One round of an explanation (mes/explained.py, _payers): its classes of payers, taken in\n"
"`order` (by held, the largest first), those with equal held merged: {'voters',\n"
"'budget_before', 'paid'}. held, voters, classes: per class of payers (lists of ints), the\n"
"first `capped` of them capped (they pay budget_before, the others `price`); a class's\n"
"budget_before is exact[c], else fraction(budget[c], over[born[c]]), kept in exact.";

/* The loop of explained._payers, in C: the round's list of payer dicts (the Fractions are
 * made by `fraction`, the Fraction class, only for classes not in `exact`). */
PyObject *mescore_payers(PyObject *self, PyObject *args)
{
    PyObject *order, *held, *voters, *classes, *budget, *born, *over, *price, *exact, *fraction;
    Py_ssize_t capped;
    if (!PyArg_ParseTuple(args, "O!O!O!O!nO!O!O!OO!O", &PyList_Type, &order, &PyList_Type,
                          &held, &PyList_Type, &voters, &PyList_Type, &classes, &capped,
                          &PyList_Type, &budget, &PyList_Type, &born, &PyList_Type, &over,
                          &price, &PyDict_Type, &exact, &fraction))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(order);
    if (PyList_GET_SIZE(held) != n || PyList_GET_SIZE(voters) != n
            || PyList_GET_SIZE(classes) != n) {
        PyErr_SetString(PyExc_ValueError, "mes core: payers' lists of different lengths");
        return NULL;
    }
    static PyObject *k_voters, *k_before, *k_paid;
    if (!k_voters && (!(k_voters = PyUnicode_InternFromString("voters"))
                      || !(k_before = PyUnicode_InternFromString("budget_before"))
                      || !(k_paid = PyUnicode_InternFromString("paid"))))
        return NULL;
    PyObject *payers = PyList_New(0), *last = NULL, *last_payer = NULL;
    if (!payers)
        return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t i = PyLong_AsSsize_t(PyList_GET_ITEM(order, k));
        if (i < 0 || i >= n) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_IndexError, "mes core: payer index out of range");
            goto fail;
        }
        PyObject *value = PyList_GET_ITEM(held, i), *n_i = PyList_GET_ITEM(voters, i);
        if (last) {
            int same = PyObject_RichCompareBool(value, last, Py_EQ);
            if (same < 0)
                goto fail;
            if (same) {             /* equal budgets: one payer */
                PyObject *sum = PyNumber_Add(PyDict_GetItem(last_payer, k_voters), n_i);
                if (!sum || PyDict_SetItem(last_payer, k_voters, sum) < 0) {
                    Py_XDECREF(sum);
                    goto fail;
                }
                Py_DECREF(sum);
                continue;
            }
        }
        last = value;
        PyObject *c = PyList_GET_ITEM(classes, i);
        PyObject *before = PyDict_GetItemWithError(exact, c);     /* borrowed */
        if (!before) {
            if (PyErr_Occurred())
                goto fail;
            Py_ssize_t ci = PyLong_AsSsize_t(c);
            if (ci < 0 || ci >= PyList_GET_SIZE(budget) || ci >= PyList_GET_SIZE(born)) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_IndexError, "mes core: class out of range");
                goto fail;
            }
            Py_ssize_t s = PyLong_AsSsize_t(PyList_GET_ITEM(born, ci));
            if (s < 0 || s >= PyList_GET_SIZE(over)) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_IndexError, "mes core: scale out of range");
                goto fail;
            }
            PyObject *made = PyObject_CallFunctionObjArgs(fraction, PyList_GET_ITEM(budget, ci),
                                                          PyList_GET_ITEM(over, s), NULL);
            if (!made || PyDict_SetItem(exact, c, made) < 0) {
                Py_XDECREF(made);
                goto fail;
            }
            Py_DECREF(made);        /* (exact holds it) */
            before = made;
        }
        PyObject *payer = PyDict_New();
        if (!payer || PyDict_SetItem(payer, k_voters, n_i) < 0
                || PyDict_SetItem(payer, k_before, before) < 0
                || PyDict_SetItem(payer, k_paid, i < capped ? before : price) < 0
                || PyList_Append(payers, payer) < 0) {
            Py_XDECREF(payer);
            goto fail;
        }
        Py_DECREF(payer);           /* (payers holds it) */
        last_payer = payer;
    }
    return payers;
fail:
    Py_DECREF(payers);
    return NULL;
}
