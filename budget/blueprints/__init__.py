"""One package per audience: public, auth, proposals, vote, staff, results."""
