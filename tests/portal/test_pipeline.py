"""The request pipeline: every hook in the order create_app lists it (register_pipeline)."""

from __future__ import annotations

from gateway.web.extensions import login_manager


def names(hooks) -> list[str]:
    return [hook.__name__ for hook in hooks]


def test_before_the_view_the_id_comes_first_then_csrf_then_the_session(app):
    assert names(app.before_request_funcs[None]) == [
        "begin_request", "csrf_protect", "enforce_timeouts", "require_onboarding", "check_chosen_customer",
        "drop_changed_answers", "start_tracking", "start_in_process_delivery"]


def test_after_the_view_the_log_line_then_the_headers_then_flask_logins_cookie(app):
    in_order = list(reversed(app.after_request_funcs[None]))  # Flask runs them last registered first
    assert names(in_order[:2]) == ["finish_request", "add_security_headers"]
    assert len(in_order) == 3 and getattr(in_order[2], "__self__", None) is login_manager


def test_teardown_ends_the_read_tracking_before_the_id_and_closes_the_database_session(app):
    assert names(reversed(app.teardown_request_funcs[None])) == ["stop_tracking", "end_request"]
    assert names(app.teardown_appcontext_funcs) == ["close_session"]


def test_no_blueprint_adds_a_hook_of_its_own(app):
    for hooks in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        assert list(hooks) == [None]
