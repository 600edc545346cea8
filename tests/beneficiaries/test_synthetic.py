def test_no_synthetic_name_repeats_a_part():
    """'Lestari Lestari' read as a data error in the demo: no name has the same word twice."""
    from beneficiaries.synthetic import FAMILY, FEMALE, MALE, _no_repeats

    assert _no_repeats(["Lestari", "Lestari"]) == ["Lestari", FAMILY[FAMILY.index("Lestari") + 1]]
    for first in FEMALE + MALE:
        for family in FAMILY:
            parts = _no_repeats([first, first, family])
            assert len(set(parts)) == 3 and _no_repeats([first, family])[0] == first
