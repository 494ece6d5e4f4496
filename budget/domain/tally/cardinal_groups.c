/* prepare()'s groups of cardinal ballots (cumulative, scoring) in one compiled pass, for the
 * common shape only (what the Pabulib reader gives): the general path of profile.py does the
 * same in Python maps and names every problem. Part of the `_mescore` extension (_mescore.c
 * lists its functions; setup.py builds it).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include "_mescore.h"

const char mescore_cardinal_groups_doc[] =
"cardinal_groups(pairs, index, group_type) -> (groups, voters)\n\n"
"prepare()'s groups of cardinal ballots: pairs, a list of (ballot, count) tuples whose ballots\n"
"are dicts of project id to int points (not bools) and whose counts are ints (not bools) in\n"
"[0, 2**62). Those counted 0 times are left out; each other ballot becomes the key (members,\n"
"points): the indices index[id] in increasing order, with their points in that order. Equal\n"
"keys are merged in first-seen order, their counts added; each gives group_type(members,\n"
"points, count), made as tuple.__new__ makes it. voters is the sum of the counts.\n"
"LookupError (nothing named) for anything else: the caller's general path then checks and\n"
"names the problem.";

typedef struct {
    Py_ssize_t index;
    PyObject *project, *points;
} Entry;

/* Whether group g's members and points are the entries' (members compare by identity: an
 * index has one int object, index[id]); -1 on error. */
static int same_key(PyObject *members, PyObject *points, const Entry *entries, Py_ssize_t k)
{
    if (PyTuple_GET_SIZE(members) != k)
        return 0;
    for (Py_ssize_t j = 0; j < k; j++) {
        if (PyTuple_GET_ITEM(members, j) != entries[j].project)
            return 0;
        PyObject *a = PyTuple_GET_ITEM(points, j), *b = entries[j].points;
        if (a != b) {
            int equal = PyObject_RichCompareBool(a, b, Py_EQ);
            if (equal <= 0)
                return equal;
        }
    }
    return 1;
}

PyObject *mescore_cardinal_groups(PyObject *self, PyObject *args)
{
    PyObject *pairs, *index;
    PyTypeObject *group_type;
    if (!mescore_group_arguments(args, "cardinal_groups", &pairs, &index, &group_type))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(pairs), kept = 0, capacity = 0, tsize = 8;
    while (tsize < 2 * n + 2)
        tsize *= 2;
    long long voters = 0;
    Entry *entries = NULL;
    long long *counts = PyMem_Malloc((n + 1) * sizeof(long long));
    Py_uhash_t *hashes = PyMem_Malloc((n + 1) * sizeof(Py_uhash_t));
    Py_ssize_t *table = PyMem_Malloc(tsize * sizeof(Py_ssize_t));
    PyObject **keys = PyMem_Calloc(2 * n + 2, sizeof(PyObject *));    /* members, points */
    PyObject *groups = NULL, *result = NULL;
    if (!counts || !hashes || !table || !keys) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t t = 0; t < tsize; t++)
        table[t] = -1;
    for (Py_ssize_t b = 0; b < n; b++) {
        PyObject *pair = PyList_GET_ITEM(pairs, b);
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2
                || !PyLong_CheckExact(PyTuple_GET_ITEM(pair, 1))
                || !PyDict_CheckExact(PyTuple_GET_ITEM(pair, 0)))
            goto other;
        PyObject *ballot = PyTuple_GET_ITEM(pair, 0);
        int overflow;
        long long here = PyLong_AsLongLongAndOverflow(PyTuple_GET_ITEM(pair, 1), &overflow);
        if (overflow || here < 0 || here >= (1LL << 62))
            goto other;
        if (here == 0)
            continue;
        voters += here;                             /* both < 2**62: no overflow */
        if (voters >= (1LL << 62))
            goto other;
        Py_ssize_t size = PyDict_GET_SIZE(ballot), k = 0, pos = 0;
        if (size > capacity) {
            PyMem_Free(entries);
            capacity = 2 * size;
            entries = PyMem_Malloc(capacity * sizeof(Entry));
            if (!entries) {
                PyErr_NoMemory();
                goto done;
            }
        }
        PyObject *pid, *pts;
        while (PyDict_Next(ballot, &pos, &pid, &pts)) {
            PyObject *project = PyDict_GetItemWithError(index, pid);
            if (!project || !PyLong_CheckExact(pts) || !PyLong_CheckExact(project))
                goto other;
            Py_ssize_t i = PyLong_AsSsize_t(project);
            if (i < 0)
                goto other;
            Py_ssize_t j = k++;                     /* insertion sort by index */
            while (j > 0 && entries[j - 1].index > i) {
                entries[j] = entries[j - 1];
                j--;
            }
            entries[j] = (Entry){i, project, pts};
        }
        /* equal keys (members, points) are merged: a table of the groups by their hash */
        Py_uhash_t h = 0x345678UL + (Py_uhash_t)k;
        for (Py_ssize_t j = 0; j < k; j++) {
            Py_hash_t ph = PyObject_Hash(entries[j].points);     /* an int's: never fails */
            h = (h ^ (Py_uhash_t)entries[j].index) * 1000003UL;
            h = (h ^ (Py_uhash_t)ph) * 0x9E3779B97F4A7C15ULL;
        }
        Py_ssize_t t = (Py_ssize_t)(h >> 7) & (tsize - 1), found = -1;
        for (; table[t] >= 0; t = (t + 1) & (tsize - 1)) {
            Py_ssize_t g = table[t];
            if (hashes[g] != h)
                continue;
            int same = same_key(keys[2 * g], keys[2 * g + 1], entries, k);
            if (same < 0)
                goto done;
            if (same) {
                found = g;
                break;
            }
        }
        if (found >= 0) {
            counts[found] += here;
            continue;
        }
        PyObject *members = PyTuple_New(k), *points = PyTuple_New(k);
        if (!members || !points) {
            Py_XDECREF(members);
            Py_XDECREF(points);
            goto done;
        }
        for (Py_ssize_t j = 0; j < k; j++) {
            Py_INCREF(entries[j].project);
            PyTuple_SET_ITEM(members, j, entries[j].project);
            Py_INCREF(entries[j].points);
            PyTuple_SET_ITEM(points, j, entries[j].points);
        }
        keys[2 * kept] = members;
        keys[2 * kept + 1] = points;
        hashes[kept] = h;
        table[t] = kept;
        counts[kept++] = here;
    }
    groups = PyTuple_New(kept);
    if (!groups)
        goto done;
    for (Py_ssize_t g = 0; g < kept; g++) {
        PyObject *count = PyLong_FromLongLong(counts[g]);
        PyObject *group = count ? group_type->tp_alloc(group_type, 3) : NULL;
        if (!group) {
            Py_XDECREF(count);
            goto done;
        }
        PyObject *members = keys[2 * g], *points = keys[2 * g + 1];
        Py_INCREF(members);
        Py_INCREF(points);
        PyTuple_SET_ITEM(group, 0, members);
        PyTuple_SET_ITEM(group, 1, points);
        PyTuple_SET_ITEM(group, 2, count);
        /* ints in tuples: no reference cycle can go through them (profile_index.c says why
         * the approval groups are untracked too) */
        PyObject_GC_UnTrack(members);
        PyObject_GC_UnTrack(points);
        PyObject_GC_UnTrack(group);
        PyTuple_SET_ITEM(groups, g, group);
    }
    result = Py_BuildValue("(OL)", groups, voters);
    goto done;
other:
    PyErr_Clear();
    PyErr_SetNone(PyExc_LookupError);
done:
    Py_XDECREF(groups);
    if (keys)
        for (Py_ssize_t g = 0; g < 2 * kept; g++)
            Py_XDECREF(keys[g]);
    PyMem_Free(keys);
    PyMem_Free(table);
    PyMem_Free(hashes);
    PyMem_Free(entries);
    PyMem_Free(counts);
    return result;
}
