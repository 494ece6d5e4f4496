/* The canonical form of approval ballots, for the fingerprint (domain/fingerprint.py): each
 * ballot's ids sorted, equal ballots counted together, the ballots sorted. Compiled because a
 * city's tally pays for it on every envelope (Warszawa 2026: 51,202 ballots), and it is what
 * the general path does without a Python tuple per ballot: a ballot is a row of ranks (each
 * id's position among the sorted ids), and rows compare as the sorted tuples of ids do. Part
 * of the `_mescore` extension (_mescore.c lists its functions; setup.py builds it).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "_mescore.h"

const char mescore_canonical_approval_doc[] =
"canonical_approval(pairs, rank, ids) -> list of [ids, count]\n\n"
"pairs: a list of (ballot, count) tuples, each ballot a set or frozenset of ids and each count\n"
"an int; rank: id -> its position in ids, the sorted list of every id. The ballots as sorted\n"
"lists of ids, equal ones once with their counts added, in the order of the sorted tuples of\n"
"ids. LookupError (nothing named) for anything else (an id not in rank, another shape): the\n"
"caller's general path then does it.";

typedef struct {
    Py_ssize_t start, length, pair;     /* its ranks are ranks[start:start + length] */
} Row;

static const int32_t *sorted_ranks;     /* for rows_order (qsort has no context; the GIL is held) */

static int rows_order(const void *a, const void *b)
{
    const Row *x = a, *y = b;
    Py_ssize_t n = x->length < y->length ? x->length : y->length;
    for (Py_ssize_t i = 0; i < n; i++) {
        int32_t p = sorted_ranks[x->start + i], q = sorted_ranks[y->start + i];
        if (p != q)
            return p < q ? -1 : 1;
    }
    if (x->length != y->length)
        return x->length < y->length ? -1 : 1;      /* a prefix first, as tuples */
    return x->pair < y->pair ? -1 : (x->pair > y->pair);
}

static int same_ranks(const Row *x, const Row *y)
{
    return x->length == y->length && memcmp(sorted_ranks + x->start, sorted_ranks + y->start,
                                            x->length * sizeof(int32_t)) == 0;
}

/* The ranks of one ballot, sorted, appended at ranks[*used:]; -1 with LookupError set. */
static int append_ranks(PyObject *ballot, PyObject *rank, int32_t **ranks, Py_ssize_t *used,
                        Py_ssize_t *capacity, Py_ssize_t nids)
{
    if (!PyAnySet_Check(ballot))
        return -1;
    Py_ssize_t size = PySet_GET_SIZE(ballot);
    if (*used + size > *capacity) {
        Py_ssize_t wanted = 2 * (*used + size);
        int32_t *grown = PyMem_Realloc(*ranks, wanted * sizeof(int32_t));
        if (!grown) {
            PyErr_NoMemory();
            return -1;
        }
        *ranks = grown;
        *capacity = wanted;
    }
    int32_t *row = *ranks + *used;
    PyObject *iterator = PyObject_GetIter(ballot), *pid;
    Py_ssize_t k = 0;
    if (!iterator)
        return -1;
    while (k < size && (pid = PyIter_Next(iterator))) {
        PyObject *position = PyDict_GetItemWithError(rank, pid);    /* borrowed */
        Py_DECREF(pid);
        long value = position && PyLong_CheckExact(position) ? PyLong_AsLong(position) : -1;
        if (value < 0 || value >= nids) {
            Py_DECREF(iterator);
            return -1;
        }
        Py_ssize_t j = k++;             /* insertion sort: ballots are short */
        while (j > 0 && row[j - 1] > value) {
            row[j] = row[j - 1];
            j--;
        }
        row[j] = (int32_t)value;
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred() || k != size)
        return -1;
    *used += size;
    return 0;
}

/* [[ids of the row], count] (new reference), or NULL. */
static PyObject *canonical_entry(const Row *row, PyObject *ids, PyObject *count)
{
    PyObject *members = PyList_New(row->length), *entry;
    if (!members)
        return NULL;
    for (Py_ssize_t i = 0; i < row->length; i++) {
        PyObject *pid = PyList_GET_ITEM(ids, sorted_ranks[row->start + i]);
        Py_INCREF(pid);
        PyList_SET_ITEM(members, i, pid);
    }
    entry = PyList_New(2);
    if (!entry) {
        Py_DECREF(members);
        return NULL;
    }
    Py_INCREF(count);
    PyList_SET_ITEM(entry, 0, members);
    PyList_SET_ITEM(entry, 1, count);
    return entry;
}

PyObject *mescore_canonical_approval(PyObject *self, PyObject *args)
{
    PyObject *pairs, *rank, *ids;
    if (!PyArg_ParseTuple(args, "O!O!O!", &PyList_Type, &pairs, &PyDict_Type, &rank,
                          &PyList_Type, &ids))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(pairs), used = 0, capacity = 64;
    int32_t *ranks = PyMem_Malloc(capacity * sizeof(int32_t));
    Row *rows = PyMem_Malloc((n ? n : 1) * sizeof(Row));
    PyObject *result = NULL, *count = NULL;
    if (!rows || !ranks) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t b = 0; b < n; b++) {
        PyObject *pair = PyList_GET_ITEM(pairs, b);
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2
                || !PyLong_CheckExact(PyTuple_GET_ITEM(pair, 1)))
            goto other;
        rows[b].start = used;
        rows[b].pair = b;
        if (append_ranks(PyTuple_GET_ITEM(pair, 0), rank, &ranks, &used, &capacity,
                         PyList_GET_SIZE(ids)) < 0)
            goto other;
        rows[b].length = used - rows[b].start;
    }
    sorted_ranks = ranks;
    qsort(rows, n, sizeof(Row), rows_order);
    if (!(result = PyList_New(0)))
        goto done;
    for (Py_ssize_t b = 0; b < n; ) {
        /* equal rows are next to each other: their counts are added, first to last */
        count = PyTuple_GET_ITEM(PyList_GET_ITEM(pairs, rows[b].pair), 1);
        Py_INCREF(count);
        Py_ssize_t e = b + 1;
        for (; e < n && same_ranks(&rows[b], &rows[e]); e++) {
            PyObject *sum = PyNumber_Add(
                count, PyTuple_GET_ITEM(PyList_GET_ITEM(pairs, rows[e].pair), 1));
            Py_SETREF(count, sum);
            if (!count)
                goto fail;
        }
        PyObject *entry = canonical_entry(&rows[b], ids, count);
        Py_CLEAR(count);
        if (!entry || PyList_Append(result, entry) < 0) {
            Py_XDECREF(entry);
            goto fail;
        }
        Py_DECREF(entry);
        b = e;
    }
    goto done;
other:
    if (!PyErr_Occurred() || PyErr_ExceptionMatches(PyExc_LookupError)
            || PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        PyErr_SetNone(PyExc_LookupError);
    }
    goto done;
fail:
    Py_CLEAR(count);
    Py_CLEAR(result);
done:
    PyMem_Free(rows);
    PyMem_Free(ranks);
    return result;
}
