/* The functions of the `_mescore` extension, defined in mes/rounds.c (the MES rounds),
 * profile_index.c and cardinal_groups.c (the profile's builders), phragmen.c (Phragmén's
 * rounds), vote_cells.c (a Pabulib file's VOTES rows), mes/points.c (MES with points),
 * canonical_ballots.c (the fingerprint's approval ballots) and relabel.c (ballots relabelled),
 * listed in _mescore.c. */
#ifndef BUDGET_MESCORE_H
#define BUDGET_MESCORE_H
#include <Python.h>

PyObject *mescore_run(PyObject *self, PyObject *args);
PyObject *mescore_certify(PyObject *self, PyObject *args);
PyObject *mescore_explain(PyObject *self, PyObject *args);
PyObject *mescore_payers(PyObject *self, PyObject *args);
PyObject *mescore_index(PyObject *self, PyObject *args);
PyObject *mescore_approval_keys(PyObject *self, PyObject *args);
PyObject *mescore_approval_groups(PyObject *self, PyObject *args);
PyObject *mescore_ordinal_keys(PyObject *self, PyObject *args);
PyObject *mescore_phragmen_step(PyObject *self, PyObject *args);
PyObject *mescore_phragmen_board(PyObject *self, PyObject *args);
PyObject *mescore_vote_cells(PyObject *self, PyObject *args);
PyObject *mescore_cardinal_groups(PyObject *self, PyObject *args);
PyObject *mescore_points_board(PyObject *self, PyObject *args);
PyObject *mescore_points_rounds(PyObject *self, PyObject *args);
PyObject *mescore_points_replay(PyObject *self, PyObject *args);
PyObject *mescore_canonical_approval(PyObject *self, PyObject *args);
PyObject *mescore_relabel(PyObject *self, PyObject *args);
PyObject *mescore_member_counts(PyObject *self, PyObject *args);
/* The arguments (pairs: list, index: dict, group_type: a tuple subclass) of approval_groups
 * and cardinal_groups; 0 with an exception set (naming the function) when they are not. */
int mescore_group_arguments(PyObject *args, const char *name, PyObject **pairs,
                            PyObject **index, PyTypeObject **group_type);
/* A new tuple of items[0:n] (new references to them), or NULL with an exception set. */
PyObject *mescore_tuple_of(PyObject *const *items, Py_ssize_t n);
extern const char mescore_run_doc[], mescore_certify_doc[], mescore_explain_doc[], mescore_payers_doc[],
    mescore_index_doc[], mescore_approval_keys_doc[],
    mescore_approval_groups_doc[],
    mescore_ordinal_keys_doc[], mescore_phragmen_step_doc[],
    mescore_phragmen_board_doc[], mescore_vote_cells_doc[],
    mescore_cardinal_groups_doc[], mescore_points_board_doc[], mescore_points_rounds_doc[],
    mescore_points_replay_doc[], mescore_canonical_approval_doc[],
    mescore_relabel_doc[], mescore_member_counts_doc[];

#endif
