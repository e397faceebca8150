"""Driving the occupation/skill autocomplete (static/js/autocomplete.js) in browser tests."""


def pick(page, select_id: str, typed: str, value_id: int) -> None:
    """Type into the box in front of ``<select id=select_id>`` and pick the answer with this id."""
    box = f"#{select_id}_search"
    page.fill(box, typed)
    listbox = page.get_attribute(box, "aria-controls")
    page.click(f"#{listbox} li[data-id='{value_id}']")
    chosen = page.eval_on_selector_all(f"#{select_id} option:checked", "options => options.map(o => o.value)")
    assert str(value_id) in chosen, (select_id, typed, chosen)
