/* The profile's builders, compiled because every tally call pays for them: index() builds every
 * project's groups in one pass (profile.Profile.by_project), approval_keys() turns approval
 * ballots into sorted index tuples and ordinal_keys() ordinal ones into index tuples without
 * repeats (profile.prepare). Part of the `_mescore` extension
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

PyObject *mescore_approval_keys(PyObject *self, PyObject *args)
{
    PyObject *ballots, *index;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &ballots, &PyDict_Type, &index))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(ballots);
    PyObject *keys = PyList_New(n);
    Py_ssize_t capacity = 64;
    PyObject **items = PyMem_Malloc(capacity * sizeof(PyObject *));
    long *values = PyMem_Malloc(capacity * sizeof(long));
    if (!keys || !items || !values)
        goto fail;
    for (Py_ssize_t b = 0; b < n; b++) {
        PyObject *ballot = PyList_GET_ITEM(ballots, b);
        if (!PyAnySet_Check(ballot)) {
            PyErr_SetString(PyExc_TypeError, "not a set");
            goto fail;
        }
        Py_ssize_t size = PySet_GET_SIZE(ballot), k = 0;
        if (size > capacity) {
            capacity = size;
            PyObject **more_items = PyMem_Realloc(items, capacity * sizeof(PyObject *));
            if (more_items) items = more_items;
            long *more_values = PyMem_Realloc(values, capacity * sizeof(long));
            if (more_values) values = more_values;
            if (!more_items || !more_values) {
                PyErr_NoMemory();
                goto fail;
            }
        }
        PyObject *iterator = PyObject_GetIter(ballot), *pid;
        if (!iterator)
            goto fail;
        while (k < size && (pid = PyIter_Next(iterator))) {
            PyObject *p = PyDict_GetItemWithError(index, pid);     /* borrowed */
            Py_DECREF(pid);
            if (!p) {
                if (!PyErr_Occurred())
                    PyErr_SetNone(PyExc_KeyError);
                Py_DECREF(iterator);
                goto fail;
            }
            long value = PyLong_AsLong(p);
            if (value == -1 && PyErr_Occurred()) {
                Py_DECREF(iterator);
                goto fail;
            }
            Py_ssize_t j = k++;             /* insertion sort: ballots are short */
            while (j > 0 && values[j - 1] > value) {
                values[j] = values[j - 1];
                items[j] = items[j - 1];
                j--;
            }
            values[j] = value;
            items[j] = p;
        }
        Py_DECREF(iterator);
        if (PyErr_Occurred())
            goto fail;
        PyObject *key = mescore_tuple_of(items, k);
        if (!key)
            goto fail;
        PyList_SET_ITEM(keys, b, key);
    }
    PyMem_Free(items);
    PyMem_Free(values);
    return keys;
fail:
    Py_XDECREF(keys);
    PyMem_Free(items);
    PyMem_Free(values);
    return NULL;
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
