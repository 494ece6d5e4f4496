/* The `_mescore` extension, built by setup.py from this file, mes/rounds.c (one MES run, the
 * normal path of the Cost_Sat and Cardinality_Sat rules), profile_index.c and
 * cardinal_groups.c (the profile's builders), phragmen.c (Phragmén's rounds), vote_cells.c
 * (a Pabulib file's VOTES rows), mes/points.c (MES with points), canonical_ballots.c (the
 * fingerprint's approval ballots) and relabel.c (ballots relabelled).
 * Only the list of its functions is here.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "_mescore.h"

static PyMethodDef methods[] = {
    {"run", mescore_run, METH_VARARGS, mescore_run_doc},
    {"certify", mescore_certify, METH_VARARGS, mescore_certify_doc},
    {"explain", mescore_explain, METH_VARARGS, mescore_explain_doc},
    {"payers", mescore_payers, METH_VARARGS, mescore_payers_doc},
    {"index", mescore_index, METH_VARARGS, mescore_index_doc},
    {"approval_keys", mescore_approval_keys, METH_VARARGS, mescore_approval_keys_doc},
    {"approval_groups", mescore_approval_groups, METH_VARARGS, mescore_approval_groups_doc},
    {"ordinal_keys", mescore_ordinal_keys, METH_VARARGS, mescore_ordinal_keys_doc},
    {"phragmen_step", mescore_phragmen_step, METH_VARARGS, mescore_phragmen_step_doc},
    {"phragmen_board", mescore_phragmen_board, METH_VARARGS, mescore_phragmen_board_doc},
    {"vote_cells", mescore_vote_cells, METH_VARARGS, mescore_vote_cells_doc},
    {"cardinal_groups", mescore_cardinal_groups, METH_VARARGS, mescore_cardinal_groups_doc},
    {"points_board", mescore_points_board, METH_VARARGS, mescore_points_board_doc},
    {"points_rounds", mescore_points_rounds, METH_VARARGS, mescore_points_rounds_doc},
    {"points_replay", mescore_points_replay, METH_VARARGS, mescore_points_replay_doc},
    {"canonical_approval", mescore_canonical_approval, METH_VARARGS,
     mescore_canonical_approval_doc},
    {"relabel", mescore_relabel, METH_VARARGS, mescore_relabel_doc},
    {"member_counts", mescore_member_counts, METH_VARARGS, mescore_member_counts_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_mescore",
    "The MES rounds in floats and the profile's builders, compiled (see tally/mes/core.py).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__mescore(void)
{
    return PyModule_Create(&module);
}
