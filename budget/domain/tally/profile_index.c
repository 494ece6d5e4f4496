/* The profile's builders, compiled because every tally call pays for them: index() builds every
 * project's groups in one pass (profile.Profile.by_project), approval_groups() turns the common
 * approval ballots (distinct frozensets, plain counts) into the groups themselves,
 * approval_keys() other approval ballots into sorted index tuples and ordinal_keys() ordinal
 * ones into index tuples without repeats (profile.prepare). Part of the `_mescore` extension
 * (_mescore.c lists its functions; setup.py builds it).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "_mescore.h"

const char mescore_index_doc[] =
"index(groups, nprojects) -> (start, members, weight, support), four bytearrays\n\n"
"groups: the profile's groups, tuples (members, points, count) with members a tuple of\n"
"project indices below nprojects and count an int in [1, 2**53). start: int64 per project + 1;\n"
"members: int32, the groups naming each project, project by project, in group order; weight:\n"
"float64 voters per group; support: int64 voters per project. ValueError on anything else.";

PyObject *mescore_index(PyObject *self, PyObject *args)
{
    PyObject *groups;
    Py_ssize_t nprojects;
    if (!PyArg_ParseTuple(args, "O!n", &PyTuple_Type, &groups, &nprojects))
        return NULL;
    Py_ssize_t ngroups = PyTuple_GET_SIZE(groups);
    if (nprojects < 0 || ngroups >= INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "mes core: too many groups");
        return NULL;
    }
    PyObject *start = PyByteArray_FromStringAndSize(NULL, (nprojects + 1) * 8);
    PyObject *weight = PyByteArray_FromStringAndSize(NULL, ngroups * 8);
    PyObject *support = PyByteArray_FromStringAndSize(NULL, nprojects * 8);
    PyObject *members = NULL, *result = NULL;
    if (!start || !weight || !support)
        goto done;
    int64_t *first = (int64_t *)PyByteArray_AS_STRING(start);
    double *voters = (double *)PyByteArray_AS_STRING(weight);
    int64_t *per_project = (int64_t *)PyByteArray_AS_STRING(support);
    memset(first, 0, (nprojects + 1) * 8);
    memset(per_project, 0, nprojects * 8);
    /* first pass: check, count the memberships of each project and its voters */
    for (Py_ssize_t g = 0; g < ngroups; g++) {
        PyObject *group = PyTuple_GET_ITEM(groups, g);
        if (!PyTuple_Check(group) || PyTuple_GET_SIZE(group) != 3
                || !PyTuple_Check(PyTuple_GET_ITEM(group, 0))) {
            PyErr_SetString(PyExc_ValueError, "mes core: a group is not (members, points, count)");
            goto done;
        }
        long long count = PyLong_AsLongLong(PyTuple_GET_ITEM(group, 2));
        if (count < 1 || count >= (1LL << 53)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_ValueError, "mes core: a group count is not in [1, 2**53)");
            goto done;
        }
        voters[g] = (double)count;
        PyObject *named = PyTuple_GET_ITEM(group, 0);
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(named); i++) {
            Py_ssize_t p = PyLong_AsSsize_t(PyTuple_GET_ITEM(named, i));
            if (p < 0 || p >= nprojects) {
                PyErr_Clear();
                PyErr_SetString(PyExc_ValueError, "mes core: a member is not a project index");
                goto done;
            }
            first[p + 1]++;
            per_project[p] += count;
            if (per_project[p] >= (1LL << 53)) {
                PyErr_SetString(PyExc_ValueError, "mes core: 2**53 voters or more");
                goto done;
            }
        }
    }
    for (Py_ssize_t p = 0; p < nprojects; p++)
        first[p + 1] += first[p];
    members = PyByteArray_FromStringAndSize(NULL, first[nprojects] * 4);
    if (!members)
        goto done;
    int32_t *named_by = (int32_t *)PyByteArray_AS_STRING(members);
    int64_t *next = PyMem_Malloc((nprojects + 1) * sizeof(int64_t));
    if (!next) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(next, first, (nprojects + 1) * sizeof(int64_t));
    /* second pass: each project's groups, in group order */
    for (Py_ssize_t g = 0; g < ngroups; g++) {
        PyObject *named = PyTuple_GET_ITEM(PyTuple_GET_ITEM(groups, g), 0);
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(named); i++)
            named_by[next[PyLong_AsSsize_t(PyTuple_GET_ITEM(named, i))]++] = (int32_t)g;
    }
    PyMem_Free(next);
    result = PyTuple_Pack(4, start, members, weight, support);
done:
    Py_XDECREF(start);
    Py_XDECREF(weight);
    Py_XDECREF(support);
    Py_XDECREF(members);
    return result;
}

const char mescore_approval_keys_doc[] =
"approval_keys(ballots, index) -> list of tuples\n\n"
"For each approval ballot (a set or frozenset of project ids), the sorted tuple of the\n"
"indices index[id] (ints). KeyError naming nothing for an unknown id, TypeError for any other\n"
"shape: the caller's one-ballot path then names the problem.";

/* Scratch for sorted_key: room for a ballot's entries. */
typedef struct {
    PyObject **items;
    long *values;
    Py_ssize_t capacity;
} KeyScratch;

static int scratch_fit(KeyScratch *scratch, Py_ssize_t size)
{
    if (size <= scratch->capacity)
        return 0;
    PyObject **items = PyMem_Realloc(scratch->items, size * sizeof(PyObject *));
    if (items)
        scratch->items = items;
    long *values = PyMem_Realloc(scratch->values, size * sizeof(long));
    if (values)
        scratch->values = values;
    if (!items || !values) {
        PyErr_NoMemory();
        return -1;
    }
    scratch->capacity = size;
    return 0;
}

/* The sorted tuple of index[id] for the ids of a set or frozenset (new reference), or NULL:
 * TypeError for another shape, KeyError naming nothing for an unknown id. */
static PyObject *sorted_key(PyObject *ballot, PyObject *index, KeyScratch *scratch)
{
    if (!PyAnySet_Check(ballot)) {
        PyErr_SetString(PyExc_TypeError, "not a set");
        return NULL;
    }
    Py_ssize_t size = PySet_GET_SIZE(ballot), k = 0;
    if (scratch_fit(scratch, size) < 0)
        return NULL;
    PyObject **items = scratch->items;
    long *values = scratch->values;
#if PY_VERSION_HEX < 0x030D0000
    /* Python 3.11-3.12: the set's own entries, with their hashes (no iterator object, and the
     * id strings themselves are not read: a large file's ballots are spread over memory). */
    Py_ssize_t pos = 0;
    PyObject *pid;
    Py_hash_t hash;
    while (k < size && _PySet_NextEntry(ballot, &pos, &pid, &hash)) {
        PyObject *p = _PyDict_GetItem_KnownHash(index, pid, hash);     /* borrowed */
#else
    PyObject *iterator = PyObject_GetIter(ballot), *pid;
    if (!iterator)
        return NULL;
    while (k < size && (pid = PyIter_Next(iterator))) {
        PyObject *p = PyDict_GetItemWithError(index, pid);     /* borrowed */
        Py_DECREF(pid);
#endif
        if (!p) {
            if (!PyErr_Occurred())
                PyErr_SetNone(PyExc_KeyError);
            goto fail;
        }
        long value = PyLong_AsLong(p);
        if (value == -1 && PyErr_Occurred())
            goto fail;
        Py_ssize_t j = k++;             /* insertion sort: ballots are short */
        while (j > 0 && values[j - 1] > value) {
            values[j] = values[j - 1];
            items[j] = items[j - 1];
            j--;
        }
        values[j] = value;
        items[j] = p;
    }
#if PY_VERSION_HEX >= 0x030D0000
    Py_DECREF(iterator);
#endif
    if (PyErr_Occurred())
        return NULL;
    return mescore_tuple_of(items, k);
fail:
#if PY_VERSION_HEX >= 0x030D0000
    Py_DECREF(iterator);
#endif
    return NULL;
}

PyObject *mescore_approval_keys(PyObject *self, PyObject *args)
{
    PyObject *ballots, *index;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &ballots, &PyDict_Type, &index))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(ballots);
    PyObject *keys = PyList_New(n);
    KeyScratch scratch = {NULL, NULL, 0};
    if (!keys)
        return NULL;
    for (Py_ssize_t b = 0; b < n; b++) {
        PyObject *key = sorted_key(PyList_GET_ITEM(ballots, b), index, &scratch);
        if (!key) {
            Py_CLEAR(keys);
            break;
        }
        PyList_SET_ITEM(keys, b, key);
    }
    PyMem_Free(scratch.items);
    PyMem_Free(scratch.values);
    return keys;
}

const char mescore_approval_groups_doc[] =
"approval_groups(pairs, index, group_type) -> (groups, voters)\n\n"
"prepare()'s groups of approval ballots in one pass, in the common case only: pairs, a list of\n"
"(ballot, count) tuples whose ballots are frozensets, no two equal among those counted more\n"
"than 0 times, and whose counts are ints (not bools) in [0, 2**62). Those counted 0 times are\n"
"left out; each other gives group_type(sorted tuple of index[id], None, count), in order\n"
"(group_type: a tuple subclass of 3 items, made as tuple.__new__ makes it); voters is the sum\n"
"of the counts. Equal frozensets have equal keys and distinct ones distinct keys (an id has\n"
"one index), so there is nothing to merge. LookupError (nothing named) for anything else: the\n"
"caller's general path then merges, checks and names the problem.";

int mescore_group_arguments(PyObject *args, const char *name, PyObject **pairs,
                            PyObject **index, PyTypeObject **group_type)
{
    if (!PyArg_ParseTuple(args, "O!O!O!", &PyList_Type, pairs, &PyDict_Type, index,
                          &PyType_Type, group_type))
        return 0;
    if (!PyType_IsSubtype(*group_type, &PyTuple_Type)
            || (*group_type)->tp_itemsize != sizeof(PyObject *)) {
        PyErr_Format(PyExc_TypeError, "%s: group_type must be a tuple subclass", name);
        return 0;
    }
    return 1;
}

PyObject *mescore_approval_groups(PyObject *self, PyObject *args)
{
    PyObject *pairs, *index;
    PyTypeObject *group_type;
    if (!mescore_group_arguments(args, "approval_groups", &pairs, &index, &group_type))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(pairs), kept = 0;
    long long voters = 0;
    KeyScratch scratch = {NULL, NULL, 0};
    PyObject *groups = PyTuple_New(n), *seen = PySet_New(NULL), *result = NULL;
    if (!groups || !seen)
        goto done;
    for (Py_ssize_t b = 0; b < n; b++) {
        PyObject *pair = PyList_GET_ITEM(pairs, b);
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2
                || !PyLong_CheckExact(PyTuple_GET_ITEM(pair, 1)))
            goto other;
        PyObject *ballot = PyTuple_GET_ITEM(pair, 0), *count = PyTuple_GET_ITEM(pair, 1);
        int overflow;
        long long voters_here = PyLong_AsLongLongAndOverflow(count, &overflow);
        if (overflow || voters_here < 0 || voters_here >= (1LL << 62))
            goto other;
        if (voters_here == 0)
            continue;
        if (!PyFrozenSet_CheckExact(ballot))
            goto other;
        Py_ssize_t before = PySet_GET_SIZE(seen);
        if (PySet_Add(seen, ballot) < 0)
            goto done;
        if (PySet_GET_SIZE(seen) == before)         /* an equal frozenset came earlier */
            goto other;
        voters += voters_here;                       /* both < 2**62: no overflow */
        if (voters >= (1LL << 62))
            goto other;
        PyObject *key = sorted_key(ballot, index, &scratch);
        if (!key) {
            if (PyErr_ExceptionMatches(PyExc_KeyError) || PyErr_ExceptionMatches(PyExc_TypeError))
                goto other;
            goto done;
        }
        PyObject *group = group_type->tp_alloc(group_type, 3);
        if (!group) {
            Py_DECREF(key);
            goto done;
        }
        Py_INCREF(Py_None);
        Py_INCREF(count);
        PyTuple_SET_ITEM(group, 0, key);
        PyTuple_SET_ITEM(group, 1, Py_None);
        PyTuple_SET_ITEM(group, 2, count);
        /* Neither can be in a reference cycle: the key holds only ints, the group its key,
         * None, an int and its class (which refers to no instance), all immutable. So the
         * collector has nothing to find in them, and they are untracked now (it would untrack
         * each key at its first pass, as it does every tuple of atoms, after traversing it and
         * its group: 2-5 ms in the first tally of a large file). */
        PyObject_GC_UnTrack(key);
        PyObject_GC_UnTrack(group);
        PyTuple_SET_ITEM(groups, kept++, group);
    }
    if (kept < n && _PyTuple_Resize(&groups, kept) < 0)
        goto done;
    result = Py_BuildValue("(OL)", groups, voters);
    goto done;
other:
    PyErr_Clear();
    PyErr_SetNone(PyExc_LookupError);
done:
    Py_XDECREF(groups);
    Py_XDECREF(seen);
    PyMem_Free(scratch.items);
    PyMem_Free(scratch.values);
    return result;
}

PyObject *mescore_tuple_of(PyObject *const *items, Py_ssize_t n)
{
    PyObject *tuple = PyTuple_New(n);
    if (!tuple)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_INCREF(items[i]);
        PyTuple_SET_ITEM(tuple, i, items[i]);
    }
    return tuple;
}

const char mescore_ordinal_keys_doc[] =
"ordinal_keys(ballots, index) -> list of tuples\n\n"
"For each ordinal ballot (a tuple of project ids, best first), the tuple of the indices\n"
"index[id] in ballot order, each kept where it first appears (tuple(dict.fromkeys(...))).\n"
"index: each project id to its position in range(len(index)). KeyError naming nothing for an\n"
"unknown id, TypeError for a ballot that is not a tuple: the caller's one-ballot path then names\n"
"the problem.";

PyObject *mescore_ordinal_keys(PyObject *self, PyObject *args)
{
    PyObject *ballots, *index;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &ballots, &PyDict_Type, &index))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(ballots), nprojects = PyDict_GET_SIZE(index);
    PyObject *keys = PyList_New(n);
    /* seen[p]: project p is already in the ballot being read (cleared after each ballot, so a
     * long ballot costs its length, not its length squared) */
    char *seen = PyMem_Calloc(nprojects + 1, 1);
    Py_ssize_t capacity = 64;
    PyObject **items = PyMem_Malloc(capacity * sizeof(PyObject *));
    if (!keys || !seen || !items) {
        if (keys)
            PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t b = 0; b < n; b++) {
        PyObject *ballot = PyList_GET_ITEM(ballots, b);
        if (!PyTuple_CheckExact(ballot)) {
            PyErr_SetString(PyExc_TypeError, "not a tuple");
            goto fail;
        }
        Py_ssize_t size = PyTuple_GET_SIZE(ballot), k = 0;
        if (size > capacity) {
            PyObject **more = PyMem_Realloc(items, size * sizeof(PyObject *));
            if (!more) {
                PyErr_NoMemory();
                goto fail;
            }
            items = more;
            capacity = size;
        }
        for (Py_ssize_t i = 0; i < size; i++) {
            PyObject *p = PyDict_GetItemWithError(index, PyTuple_GET_ITEM(ballot, i));
            if (!p) {               /* borrowed; NULL: unknown, or unhashable (TypeError) */
                if (!PyErr_Occurred())
                    PyErr_SetNone(PyExc_KeyError);
                goto fail;
            }
            Py_ssize_t value = PyLong_AsSsize_t(p);
            if (value < 0 || value >= nprojects) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_ValueError, "an index is not a position");
                goto fail;
            }
            if (!seen[value]) {
                seen[value] = 1;
                items[k++] = p;
            }
        }
        for (Py_ssize_t i = 0; i < k; i++)
            seen[PyLong_AsSsize_t(items[i])] = 0;
        PyObject *key = mescore_tuple_of(items, k);
        if (!key)
            goto fail;
        PyList_SET_ITEM(keys, b, key);
    }
    PyMem_Free(seen);
    PyMem_Free(items);
    return keys;
fail:
    Py_XDECREF(keys);
    PyMem_Free(seen);
    PyMem_Free(items);
    return NULL;
}
