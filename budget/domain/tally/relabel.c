/* Ballots relabelled (domain/relabel.py): each ballot's members mapped to new ids, those
 * without one left out, equal results counted together; and each member's voters. Compiled because the platform's tally
 * does it for every envelope of a city (Paris: 250,000 ballots, twice each: their commune's
 * envelope and the intercommunal one). Part of the `_mescore` extension (_mescore.c lists its
 * functions; setup.py builds it).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "_mescore.h"

#define MAX_MEMBERS 1024    /* a ballot naming more takes the caller's general path */

const char mescore_relabel_doc[] =
"relabel(boxes, label) -> dict\n\n"
"boxes: a list of dicts, each (frozenset ballot) -> int count; label: a dict, member -> new id.\n"
"For each ballot in turn, the frozenset of label[m] for its members m that label names; when\n"
"not empty, its count is added to the result's (dict insertion order: first seen first).\n"
"LookupError (nothing named) for another shape (a ballot not a frozenset or naming more than\n"
"1,024 members, a count not an int): the caller's general path then does it.";

PyObject *mescore_relabel(PyObject *self, PyObject *args)
{
    PyObject *boxes, *label;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &boxes, &PyDict_Type, &label))
        return NULL;
    PyObject *result = PyDict_New();
    if (!result)
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(boxes); i++) {
        PyObject *box = PyList_GET_ITEM(boxes, i), *ballot, *count;
        Py_ssize_t at = 0;
        if (!PyDict_Check(box))
            goto other;
        while (PyDict_Next(box, &at, &ballot, &count)) {
            if (!PyFrozenSet_CheckExact(ballot) || !PyLong_CheckExact(count))
                goto other;
            /* the labels found, then their frozenset: a ballot naming none of label's costs
             * no allocation (the intercommunal envelope's view of a commune's ballot) */
            Py_ssize_t size = PySet_GET_SIZE(ballot), found = 0;
            if (size > MAX_MEMBERS)
                goto other;
            PyObject *labels[MAX_MEMBERS];
#if PY_VERSION_HEX < 0x030D0000
            /* Python 3.11-3.12: the set's own entries with their hashes, as profile_index.c
             * reads them (the members themselves are not read) */
            Py_ssize_t pos = 0;
            PyObject *member;
            Py_hash_t hash;
            while (_PySet_NextEntry(ballot, &pos, &member, &hash)) {
                PyObject *id = _PyDict_GetItem_KnownHash(label, member, hash);     /* borrowed */
#else
            PyObject *iterator = PyObject_GetIter(ballot), *member;
            if (!iterator)
                goto fail;
            while ((member = PyIter_Next(iterator))) {
                PyObject *id = PyDict_GetItemWithError(label, member);     /* borrowed */
                Py_DECREF(member);
#endif
                if (id && found < MAX_MEMBERS)
                    labels[found++] = id;
                else if (PyErr_Occurred())
                    break;
            }
#if PY_VERSION_HEX >= 0x030D0000
            Py_DECREF(iterator);
#endif
            if (PyErr_Occurred())
                goto fail;
            if (!found)
                continue;
            PyObject *mine = PyFrozenSet_New(NULL);
            if (!mine)
                goto fail;
            for (Py_ssize_t k = 0; k < found; k++)
                if (PySet_Add(mine, labels[k]) < 0) {
                    Py_DECREF(mine);
                    goto fail;
                }
            PyObject *before = PyDict_GetItemWithError(result, mine), *sum;    /* borrowed */
            if (before)
                sum = PyNumber_Add(before, count);
            else {
                sum = count;
                Py_INCREF(sum);
            }
            int failed = !sum || PyErr_Occurred() || PyDict_SetItem(result, mine, sum) < 0;
            Py_XDECREF(sum);
            Py_DECREF(mine);
            if (failed)
                goto fail;
        }
    }
    return result;
other:
    PyErr_SetNone(PyExc_LookupError);
fail:
    Py_DECREF(result);
    return NULL;
}

const char mescore_member_counts_doc[] =
"member_counts(ballots) -> dict\n\n"
"ballots: a dict, (frozenset ballot) -> int count. Each member's total: the counts of the\n"
"ballots naming it added together. LookupError (nothing named) for another shape.";

PyObject *mescore_member_counts(PyObject *self, PyObject *args)
{
    PyObject *ballots, *ballot, *count;
    if (!PyArg_ParseTuple(args, "O!", &PyDict_Type, &ballots))
        return NULL;
    PyObject *totals = PyDict_New();
    Py_ssize_t at = 0;
    if (!totals)
        return NULL;
    while (PyDict_Next(ballots, &at, &ballot, &count)) {
        if (!PyFrozenSet_CheckExact(ballot) || !PyLong_CheckExact(count)) {
            PyErr_SetNone(PyExc_LookupError);
            goto fail;
        }
#if PY_VERSION_HEX < 0x030D0000
        Py_ssize_t pos = 0;
        PyObject *member;
        Py_hash_t hash;
        while (_PySet_NextEntry(ballot, &pos, &member, &hash)) {
            PyObject *before = _PyDict_GetItem_KnownHash(totals, member, hash), *sum;
#else
        PyObject *iterator = PyObject_GetIter(ballot), *member;
        if (!iterator)
            goto fail;
        while ((member = PyIter_Next(iterator))) {
            PyObject *before = PyDict_GetItemWithError(totals, member), *sum;
            Py_DECREF(member);      /* still held by the ballot */
#endif
            if (!before && PyErr_Occurred())
                break;
            sum = before ? PyNumber_Add(before, count) : (Py_INCREF(count), count);
            if (!sum)
                break;
#if PY_VERSION_HEX < 0x030D0000
            int failed = _PyDict_SetItem_KnownHash(totals, member, sum, hash) < 0;
#else
            int failed = PyDict_SetItem(totals, member, sum) < 0;
#endif
            Py_DECREF(sum);
            if (failed)
                break;
        }
#if PY_VERSION_HEX >= 0x030D0000
        Py_DECREF(iterator);
#endif
        if (PyErr_Occurred())
            goto fail;
    }
    return totals;
fail:
    Py_DECREF(totals);
    return NULL;
}
