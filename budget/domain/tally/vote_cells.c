/* The VOTES section of an approval or ordinal Pabulib file read in one compiled pass
 * (budget/domain/pabulib_lines.py, compiled_votes): the rows become each distinct ballot and its
 * count without a Python object per voter. Part of the `_mescore` extension (_mescore.c lists its
 * functions; setup.py builds it).
 *
 * It only takes the plain sections, where it gives exactly what the reader's Python path gives,
 * and returns None for anything else (a quote, a carriage return not before "\n", a NUL, bytes
 * that are not UTF-8, an over-long line, a row too short or too long, a voter id or a first cell
 * that is not ASCII digits, a voter listed twice, an id that is not a project's): the Python
 * path then reads the section again and names the problem, with its line.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include "_mescore.h"

/* Python's own hash of bytes: keyed per process (PYTHONHASHSEED), so a file cannot be made of
 * voter ids that all fall in one slot of the tables below. */
#if PY_VERSION_HEX >= 0x030E0000
#define HASH_BYTES Py_HashBuffer
#else
#define HASH_BYTES _Py_HashBytes
#endif

const char mescore_vote_cells_doc[] =
"vote_cells(data, start, ids, width, voter_at, vote_at, ordinal, max_chars)\n"
"    -> (grouped, newlines) or None\n\n"
"data[start:]: the rows after a VOTES header of `width` cells, as UTF-8 bytes. ids: each\n"
"project id to itself (the reader's `ids`). voter_at, vote_at: the columns of the voter id and\n"
"the vote. ordinal: ballots are tuples in vote order without repeats, else frozensets.\n"
"max_chars: the longest line (in characters, without its end) read here. grouped: each ballot\n"
"(made of the ids' own objects) -> its number of rows, in first-seen order; newlines: the\n"
"number of \"\\n\" in data[start:]. None when the section is not plain (see vote_cells.c).";

typedef struct {
    const char *at;         /* the string's bytes (not NUL-terminated) */
    Py_ssize_t length;
    Py_hash_t hash;
    Py_ssize_t count;       /* rows naming it (vote cells) */
    PyObject *value;        /* the project id's object (project ids; borrowed) */
} Entry;

/* Distinct byte strings, in first-seen order (entries), found by open addressing (slots hold
 * entry numbers + 1; 0 is a free slot). */
typedef struct {
    Entry *entries;
    Py_ssize_t used, room;
    int32_t *slots;
    size_t mask;
} Table;

static int table_init(Table *table)
{
    table->used = 0;
    table->room = 64;
    table->mask = 127;
    table->entries = PyMem_Malloc(table->room * sizeof(Entry));
    table->slots = PyMem_Calloc(table->mask + 1, sizeof(int32_t));
    return table->entries && table->slots ? 0 : -1;
}

static void table_free(Table *table)
{
    PyMem_Free(table->entries);
    PyMem_Free(table->slots);
}

/* Doubles the entries and the slots (kept at most half full). -1 when out of memory. */
static int table_grow(Table *table)
{
    if (table->room >= INT32_MAX / 2)
        return -1;
    Entry *entries = PyMem_Realloc(table->entries, 2 * table->room * sizeof(Entry));
    if (!entries)
        return -1;
    table->entries = entries;
    table->room *= 2;
    size_t mask = 2 * table->mask + 1;
    int32_t *slots = PyMem_Calloc(mask + 1, sizeof(int32_t));
    if (!slots)
        return -1;
    for (Py_ssize_t e = 0; e < table->used; e++) {
        size_t s = (size_t)entries[e].hash & mask;
        while (slots[s])
            s = (s + 1) & mask;
        slots[s] = (int32_t)(e + 1);
    }
    PyMem_Free(table->slots);
    table->slots = slots;
    table->mask = mask;
    return 0;
}

/* The entry of the string at[0:length]. If there is none: with `add`, a new one (count 0,
 * *added set), else NULL with *added 0. NULL with *added set when out of memory. The pointer
 * holds until the next call. */
static Entry *table_find(Table *table, const char *at, Py_ssize_t length, int add, int *added)
{
    Py_hash_t hash = HASH_BYTES(at, length);
    size_t s = (size_t)hash & table->mask;
    *added = 0;
    for (; table->slots[s]; s = (s + 1) & table->mask) {
        Entry *entry = &table->entries[table->slots[s] - 1];
        if (entry->hash == hash && entry->length == length && !memcmp(entry->at, at, length))
            return entry;
    }
    if (!add)
        return NULL;
    *added = 1;
    if (table->used == table->room) {
        if (table_grow(table) < 0)
            return NULL;
        return table_find(table, at, length, add, added);
    }
    Entry *entry = &table->entries[table->used++];
    *entry = (Entry){at, length, hash, 0, NULL};
    table->slots[s] = (int32_t)table->used;
    return entry;
}

/* The number of characters of the line s[0:n] if it is plain text: strict UTF-8 (as Python
 * decodes it: no overlong form, no surrogate, nothing past U+10FFFF), without a NUL, a quote
 * (the csv module's quoting) or a carriage return (its line end is already cut off). Else -1. */
static Py_ssize_t plain_chars(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t chars = 0, i = 0;
    while (i < n) {
        unsigned char c = s[i];
        chars++;
        if (c < 0x80) {
            if (c == 0 || c == '"' || c == '\r')
                return -1;
            i++;
            continue;
        }
        /* the continuation bytes needed, and the range of the first one (which rules out
         * overlong forms, surrogates and code points past U+10FFFF) */
        int more;
        unsigned char low = 0x80, high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            more = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            if (c == 0xE0) low = 0xA0;
            if (c == 0xED) high = 0x9F;
        }
        else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            if (c == 0xF0) low = 0x90;
            if (c == 0xF4) high = 0x8F;
        }
        else
            return -1;
        if (n - i - 1 < more || s[i + 1] < low || s[i + 1] > high)
            return -1;
        for (int k = 2; k <= more; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return -1;
        i += 1 + more;
    }
    return chars;
}

static int ascii_digits(const char *s, Py_ssize_t n)
{
    if (n == 0)
        return 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The ballot of a vote cell: its comma-separated ids (empty ones skipped, as the reader skips
 * them) as the projects' objects, in a frozenset or (ordinal) a tuple without repeats. A new
 * reference; Py_None (a new reference) when an id is not a project's; NULL on an error.
 * stamp: a number no earlier call used; a project's entry keeps in `count` the stamp of the
 * last ballot that named it, so a repeat is found in constant time (a crafted cell naming
 * the same ids over and over would otherwise cost its length times the projects). */
static PyObject *ballot_of(const char *cell, Py_ssize_t length, Table *projects, int ordinal,
                           PyObject **named, Py_ssize_t room, Py_ssize_t stamp)
{
    Py_ssize_t n = 0;
    const char *end = cell + length;
    while (cell <= end) {
        const char *comma = memchr(cell, ',', end - cell);
        const char *stop = comma ? comma : end;
        if (stop > cell) {
            int added;
            Entry *entry = table_find(projects, cell, stop - cell, 0, &added);
            if (!entry)         /* not a project: the caller gives up */
                Py_RETURN_NONE;
            if (entry->count != stamp && n < room) {
                entry->count = stamp;
                named[n++] = entry->value;
            }
        }
        cell = stop + 1;
    }
    if (ordinal)
        return mescore_tuple_of(named, n);
    PyObject *ballot = PyFrozenSet_New(NULL);
    for (Py_ssize_t i = 0; ballot && i < n; i++)
        if (PySet_Add(ballot, named[i]) < 0)     /* allowed on a frozenset not yet shared */
            Py_CLEAR(ballot);
    return ballot;
}

PyObject *mescore_vote_cells(PyObject *self, PyObject *args)
{
    Py_buffer data;
    Py_ssize_t start, width, voter_at, vote_at, max_chars;
    PyObject *ids;
    int ordinal;
    if (!PyArg_ParseTuple(args, "y*nO!nnnpn", &data, &start, &PyDict_Type, &ids, &width,
                          &voter_at, &vote_at, &ordinal, &max_chars))
        return NULL;
    PyObject *result = NULL, *grouped = NULL, **named = NULL;
    Table voters, cells, projects;
    int tables = table_init(&voters) | table_init(&cells) | table_init(&projects);
    Py_ssize_t needed = voter_at > vote_at ? voter_at : vote_at, newlines = 0;
    if (tables < 0) {
        PyErr_NoMemory();
        goto done;
    }
    if (start < 0 || start > data.len || voter_at < 0 || vote_at < 0 || needed >= width)
        goto plain_no_more;

    /* Each project id's UTF-8 bytes -> its object. */
    PyObject *key, *value;
    Py_ssize_t position = 0;
    while (PyDict_Next(ids, &position, &key, &value)) {
        Py_ssize_t length;
        const char *text = PyUnicode_Check(key) ? PyUnicode_AsUTF8AndSize(key, &length) : NULL;
        if (!text) {
            PyErr_Clear();      /* e.g. a lone surrogate: the Python path reads it */
            goto plain_no_more;
        }
        int added;
        Entry *entry = table_find(&projects, text, length, 1, &added);
        if (!entry) {
            PyErr_NoMemory();
            goto done;
        }
        entry->value = value;
    }

    /* The rows: each voter once, each distinct vote cell counted. */
    const char *row = (const char *)data.buf + start, *end = (const char *)data.buf + data.len;
    while (row <= end) {
        const char *newline = memchr(row, '\n', end - row);
        const char *stop = newline ? newline : end;
        if (newline) {
            newlines++;
            if (stop > row && stop[-1] == '\r')     /* "\r\n" ends a line as "\n" does */
                stop--;
        }
        Py_ssize_t chars = plain_chars((const unsigned char *)row, stop - row);
        if (chars < 0 || chars > max_chars)
            goto plain_no_more;
        if (stop > row) {       /* not a blank line: the cells up to `needed`, all counted */
            const char *cell_at[2] = {NULL, NULL}, *cell_end[2] = {NULL, NULL}, *cell = row;
            Py_ssize_t separators = 0;
            const char *first_end = NULL;
            for (Py_ssize_t c = 0; cell <= stop; c++) {
                const char *semicolon = memchr(cell, ';', stop - cell);
                const char *after = semicolon ? semicolon : stop;
                if (c == 0)
                    first_end = after;
                if (c == voter_at) {
                    cell_at[0] = cell;
                    cell_end[0] = after;
                }
                if (c == vote_at) {
                    cell_at[1] = cell;
                    cell_end[1] = after;
                }
                if (!semicolon)
                    break;
                separators++;
                cell = semicolon + 1;
            }
            if (separators >= width || separators < needed
                    || !ascii_digits(row, first_end - row)
                    || !ascii_digits(cell_at[0], cell_end[0] - cell_at[0]))
                goto plain_no_more;
            int added;
            if (!table_find(&voters, cell_at[0], cell_end[0] - cell_at[0], 1, &added)) {
                PyErr_NoMemory();
                goto done;
            }
            if (!added)         /* a voter listed twice */
                goto plain_no_more;
            Entry *vote = table_find(&cells, cell_at[1], cell_end[1] - cell_at[1], 1, &added);
            if (!vote) {
                PyErr_NoMemory();
                goto done;
            }
            vote->count++;
        }
        if (!newline)
            break;
        row = newline + 1;
    }

    /* Each distinct vote cell's ballot, merged with equal ones ("1,2" and "2,1"). */
    Py_ssize_t longest = 0;
    for (Py_ssize_t e = 0; e < cells.used; e++)
        if (cells.entries[e].length > longest)
            longest = cells.entries[e].length;
    named = PyMem_Malloc((longest / 2 + 1) * sizeof(PyObject *));    /* ids between commas */
    grouped = PyDict_New();
    if (!named || !grouped) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t e = 0; e < cells.used; e++) {
        Entry *cell = &cells.entries[e];
        PyObject *ballot = ballot_of(cell->at, cell->length, &projects, ordinal, named,
                                     longest / 2 + 1, e + 1);
        if (!ballot)
            goto done;
        if (ballot == Py_None) {
            Py_DECREF(ballot);
            goto plain_no_more;
        }
        PyObject *before = PyDict_GetItemWithError(grouped, ballot);    /* borrowed */
        Py_ssize_t count = cell->count;
        if (before)
            count += PyLong_AsSsize_t(before);
        PyObject *total = PyErr_Occurred() ? NULL : PyLong_FromSsize_t(count);
        int failed = !total || PyDict_SetItem(grouped, ballot, total) < 0;
        Py_DECREF(ballot);
        Py_XDECREF(total);
        if (failed)
            goto done;
    }
    result = Py_BuildValue("(On)", grouped, newlines);
    goto done;
plain_no_more:
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(grouped);
    PyMem_Free(named);
    table_free(&voters);
    table_free(&cells);
    table_free(&projects);
    PyBuffer_Release(&data);
    return result;
}
