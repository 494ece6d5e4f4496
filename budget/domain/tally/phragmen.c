/* Sequential Phragmén's rounds in floats, compiled (tally/phragmen.py is its Python side and
 * decides every round exactly), and the board they read, built from the profile's by_project
 * arrays (phragmen_board; numpy's import cost more than the rounds). Part of the `_mescore`
 * extension (_mescore.c lists its functions; setup.py builds it).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include "_mescore.h"

enum { TOTAL, COST, SCORE, LOADS, LOAD_OF, CSTART, CGROUPS, WEIGHT, GFIRST, GMEMBERS, COUNTS,
       NARRAYS };

static int get_view(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, const char *kinds,
                    const char *what)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) < 0)
        return -1;
    const char *format = view->format ? view->format : "B";
    char kind = format[strlen(format) - 1];
    if (view->itemsize != itemsize || !strchr(kinds, kind)) {
        PyErr_Format(PyExc_TypeError, "phragmen core: %s must hold %zd-byte items of type %s",
                     what, itemsize, kinds);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* [*from, *to) as a valid range of an array of `size` items */
static int range_ok(const int64_t *offsets, Py_ssize_t i, Py_ssize_t size)
{
    return 0 <= offsets[i] && offsets[i] <= offsets[i + 1] && offsets[i + 1] <= size;
}

const char mescore_phragmen_step_doc[] =
"phragmen_step(total, cost, score, loads, load_of, cstart, cgroups, weight, gfirst, gmembers,\n"
"              counts, winner, slot, value, near) -> [(candidate, [(load index, voters)])]\n\n"
"Candidates are numbered 0..n-1, groups 0..G-1. total (float64, n): each candidate's\n"
"supporters' loads; cost (float64, n): inf once funded; score (float64, n): supporters;\n"
"loads (float64, n + 1): each load value given so far; load_of (int32, G): each group's load\n"
"index; cstart (int64, n + 1) and cgroups (int32): each candidate's groups; weight (float64,\n"
"G): voters per group (whole, below 2**53); gfirst (int64, G + 1) and gmembers (int32): each\n"
"group's candidates; counts (int64, n + 1): zeros, scratch. If winner >= 0, first funds it:\n"
"loads[slot] = value and its groups get load index slot. Then returns the candidates not\n"
"funded whose float load (total + cost) / score is at most near x the smallest, in order,\n"
"each with its supporters counted per load index. ValueError on inconsistent arrays.";

PyObject *mescore_phragmen_step(PyObject *self, PyObject *args)
{
    PyObject *objs[NARRAYS];
    Py_ssize_t winner, slot;
    double value, near;
    if (!PyArg_ParseTuple(args, "OOOOOOOOOOOnndd", &objs[0], &objs[1], &objs[2], &objs[3],
                          &objs[4], &objs[5], &objs[6], &objs[7], &objs[8], &objs[9],
                          &objs[10], &winner, &slot, &value, &near))
        return NULL;
    static const Py_ssize_t sizes[NARRAYS] = {8, 8, 8, 8, 4, 8, 4, 8, 8, 4, 8};
    static const char *kinds[NARRAYS] = {"d", "d", "d", "d", "i", "lq", "i", "d", "lq", "i",
                                         "lq"};
    static const char *names[NARRAYS] = {"total", "cost", "score", "loads", "load_of", "cstart",
                                         "cgroups", "weight", "gfirst", "gmembers", "counts"};
    Py_buffer views[NARRAYS];
    int got = 0;
    PyObject *result = NULL;
    for (; got < NARRAYS; got++)
        if (get_view(objs[got], &views[got], sizes[got], kinds[got], names[got]) < 0)
            goto done;
    double *total = views[TOTAL].buf, *cost = views[COST].buf, *score = views[SCORE].buf;
    double *loads = views[LOADS].buf, *weight = views[WEIGHT].buf;
    int32_t *load_of = views[LOAD_OF].buf, *cgroups = views[CGROUPS].buf;
    int32_t *gmembers = views[GMEMBERS].buf;
    int64_t *cstart = views[CSTART].buf, *gfirst = views[GFIRST].buf, *counts = views[COUNTS].buf;
    Py_ssize_t n = views[TOTAL].len / 8, ngroups = views[WEIGHT].len / 8;
    Py_ssize_t nloads = views[LOADS].len / 8;
    Py_ssize_t ncg = views[CGROUPS].len / 4, ngm = views[GMEMBERS].len / 4;
    if (views[COST].len / 8 != n || views[SCORE].len / 8 != n || nloads != n + 1
            || views[COUNTS].len / 8 != n + 1 || views[CSTART].len / 8 != n + 1
            || views[LOAD_OF].len / 4 != ngroups || views[GFIRST].len / 8 != ngroups + 1
            || winner >= n || (winner >= 0 && (slot < 0 || slot >= nloads))) {
        PyErr_SetString(PyExc_ValueError, "phragmen core: inconsistent input arrays");
        goto done;
    }
    if (winner >= 0) {
        if (!range_ok(cstart, winner, ncg))
            goto bad;
        loads[slot] = value;
        for (int64_t i = cstart[winner]; i < cstart[winner + 1]; i++) {
            int32_t g = cgroups[i];
            if (g < 0 || g >= ngroups || load_of[g] < 0 || load_of[g] >= nloads
                    || !range_ok(gfirst, g, ngm))
                goto bad;
            double raised = weight[g] * (value - loads[load_of[g]]);
            load_of[g] = (int32_t)slot;
            for (int64_t j = gfirst[g]; j < gfirst[g + 1]; j++) {
                if (gmembers[j] < 0 || gmembers[j] >= n)
                    goto bad;
                total[gmembers[j]] += raised;
            }
        }
        cost[winner] = Py_HUGE_VAL;
    }
    double best = Py_HUGE_VAL;
    for (Py_ssize_t c = 0; c < n; c++)
        if (cost[c] < Py_HUGE_VAL && (total[c] + cost[c]) / score[c] < best)
            best = (total[c] + cost[c]) / score[c];
    result = PyList_New(0);
    if (!result)
        goto done;
    for (Py_ssize_t c = 0; c < n && best < Py_HUGE_VAL; c++) {
        if (!(cost[c] < Py_HUGE_VAL && (total[c] + cost[c]) / score[c] <= best * near))
            continue;
        if (!range_ok(cstart, c, ncg))
            goto bad;
        for (int64_t i = cstart[c]; i < cstart[c + 1]; i++) {
            int32_t g = cgroups[i];
            if (g < 0 || g >= ngroups || load_of[g] < 0 || load_of[g] >= nloads)
                goto bad;
            counts[load_of[g]] += (int64_t)weight[g];
        }
        PyObject *per_load = PyList_New(0);
        if (!per_load)
            goto fail;
        for (int64_t i = cstart[c]; i < cstart[c + 1]; i++) {
            int32_t k = load_of[cgroups[i]];
            if (!counts[k])
                continue;
            PyObject *pair = Py_BuildValue("(iL)", k, (long long)counts[k]);
            counts[k] = 0;
            if (!pair || PyList_Append(per_load, pair) < 0) {
                Py_XDECREF(pair);
                Py_DECREF(per_load);
                goto fail;
            }
            Py_DECREF(pair);
        }
        PyObject *item = Py_BuildValue("(nN)", c, per_load);
        if (!item || PyList_Append(result, item) < 0) {
            Py_XDECREF(item);
            goto fail;
        }
        Py_DECREF(item);
    }
    goto done;
bad:
    PyErr_SetString(PyExc_ValueError, "phragmen core: an index is out of range");
fail:
    Py_CLEAR(result);
done:
    for (int i = 0; i < got; i++)
        PyBuffer_Release(&views[i]);
    return result;
}

const char mescore_phragmen_board_doc[] =
"phragmen_board(start, groups, ngroups, projects) -> (cstart, cgroups, gfirst, gmembers)\n\n"
"The index phragmen_step reads, from the profile's by_project arrays: start (int64, one more\n"
"than there are projects) and groups (int32), each project's groups; projects, the candidates\n"
"(project indices, increasing), numbered 0..n-1 in that order. Returns bytearrays of native\n"
"items: cstart (int64, n + 1) and cgroups (int32), each candidate's groups in the order of\n"
"`groups`; gfirst (int64, ngroups + 1) and gmembers (int32), each group's candidates in\n"
"increasing order (a counting sort: what numpy's stable argsort gave). ValueError on an\n"
"index out of range.";

PyObject *mescore_phragmen_board(PyObject *self, PyObject *args)
{
    PyObject *start_obj, *groups_obj, *projects;
    Py_ssize_t ngroups;
    if (!PyArg_ParseTuple(args, "OOnO!", &start_obj, &groups_obj, &ngroups, &PyList_Type,
                          &projects))
        return NULL;
    Py_buffer start_view, groups_view;
    if (PyObject_GetBuffer(start_obj, &start_view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return NULL;
    if (PyObject_GetBuffer(groups_obj, &groups_view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        PyBuffer_Release(&start_view);
        return NULL;
    }
    PyObject *cstart = NULL, *cgroups = NULL, *gfirst = NULL, *gmembers = NULL, *result = NULL;
    if (start_view.itemsize != 8 || groups_view.itemsize != 4) {
        PyErr_SetString(PyExc_TypeError, "phragmen board: start must hold int64, groups int32");
        goto done;
    }
    const int64_t *start = start_view.buf;
    const int32_t *groups = groups_view.buf;
    Py_ssize_t nprojects = start_view.len / 8 - 1, size = groups_view.len / 4;
    Py_ssize_t n = PyList_GET_SIZE(projects);
    if (nprojects < 0 || ngroups < 0 || ngroups >= INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "phragmen board: no start array, or a bad ngroups");
        goto done;
    }
    cstart = PyByteArray_FromStringAndSize(NULL, (n + 1) * 8);
    gfirst = PyByteArray_FromStringAndSize(NULL, (ngroups + 1) * 8);
    if (!cstart || !gfirst)
        goto done;
    int64_t *cs = (int64_t *)PyByteArray_AS_STRING(cstart);
    int64_t *gf = (int64_t *)PyByteArray_AS_STRING(gfirst);
    memset(gf, 0, (ngroups + 1) * 8);
    cs[0] = 0;
    Py_ssize_t previous = -1;
    for (Py_ssize_t c = 0; c < n; c++) {         /* check, count each candidate's groups */
        Py_ssize_t p = PyLong_AsSsize_t(PyList_GET_ITEM(projects, c));
        if (p <= previous || p >= nprojects || !range_ok(start, p, size)) {
            PyErr_Clear();
            goto bad;
        }
        previous = p;
        cs[c + 1] = cs[c] + (start[p + 1] - start[p]);
        for (int64_t i = start[p]; i < start[p + 1]; i++) {
            if (groups[i] < 0 || groups[i] >= ngroups)
                goto bad;
            gf[groups[i] + 1]++;
        }
    }
    for (Py_ssize_t g = 0; g < ngroups; g++)
        gf[g + 1] += gf[g];
    cgroups = PyByteArray_FromStringAndSize(NULL, cs[n] * 4);
    gmembers = PyByteArray_FromStringAndSize(NULL, cs[n] * 4);
    int64_t *next = PyMem_Malloc((ngroups + 1) * sizeof(int64_t));
    if (!cgroups || !gmembers || !next) {
        PyMem_Free(next);
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto done;
    }
    memcpy(next, gf, (ngroups + 1) * sizeof(int64_t));
    int32_t *cg = (int32_t *)PyByteArray_AS_STRING(cgroups);
    int32_t *gm = (int32_t *)PyByteArray_AS_STRING(gmembers);
    for (Py_ssize_t c = 0; c < n; c++) {         /* candidates in order: gmembers increasing */
        Py_ssize_t p = PyLong_AsSsize_t(PyList_GET_ITEM(projects, c));
        memcpy(cg + cs[c], groups + start[p], (cs[c + 1] - cs[c]) * 4);
        for (int64_t i = start[p]; i < start[p + 1]; i++)
            gm[next[groups[i]]++] = (int32_t)c;
    }
    PyMem_Free(next);
    result = PyTuple_Pack(4, cstart, cgroups, gfirst, gmembers);
    goto done;
bad:
    PyErr_SetString(PyExc_ValueError, "phragmen board: an index is out of range");
done:
    Py_XDECREF(cstart);
    Py_XDECREF(cgroups);
    Py_XDECREF(gfirst);
    Py_XDECREF(gmembers);
    PyBuffer_Release(&start_view);
    PyBuffer_Release(&groups_view);
    return result;
}
