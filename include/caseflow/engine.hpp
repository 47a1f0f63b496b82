// The interpreter: runs cases of a rule set.  Single-threaded and
// deterministic: time comes only from the instants the host passes in,
// effects leave only as action records through the sink, and the same rules
// with the same timed inputs give a byte-identical history.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/action.hpp"
#include "caseflow/detail/callback.hpp"
#include "caseflow/detail/dispatch_core.hpp"
#include "caseflow/history.hpp"
#include "caseflow/rules.hpp"
#include "caseflow/time.hpp"
#include "caseflow/value.hpp"

namespace caseflow {

/// A case handle: a dense index into the engine's cases.
struct case_id {
    std::uint32_t index = 0xffffffffu;
    friend bool operator==(case_id a, case_id b) { return a.index == b.index; }
    friend bool operator!=(case_id a, case_id b) { return a.index != b.index; }
};

/// An event id resolved once with engine::event(), for hot loops.
struct event_id {
    std::uint32_t workflow = 0xffffffffu;
    std::uint32_t index = 0xffffffffu;
};

/// What became of a dispatched event.
enum class dispatch_status : std::uint8_t {
    accepted,       ///< a transition was taken
    no_transition,  ///< no transition of the current state accepts it (recorded as rejected)
    case_closed,    ///< the case is in a final state (recorded as rejected)
};
std::string_view to_string(dispatch_status s);

/// The result of an outbound call, reported by the host.
enum class contact_outcome : std::uint8_t { reached, unreached, rejected };
std::string_view to_string(contact_outcome o);

struct dispatch_result {
    dispatch_status status = dispatch_status::accepted;
    explicit operator bool() const { return status == dispatch_status::accepted; }
};

struct engine_options {
    /// Keep every case's history in memory (queries, replay export).
    bool keep_history = true;
    /// Microsteps of eventless transitions allowed after one input before the
    /// engine stops the chain and records a note (a rule with a cycle).
    std::uint32_t max_completion_steps = 100;
};

/// Runs cases.  Not thread-safe; use one engine per partition of cases.
///
///     auto rules = caseflow::load_rules("rules/");
///     caseflow::engine engine{rules};
///     engine.on_action([](const caseflow::action& a) { crm.perform(a); });
///     auto id = engine.open("complaint", {{"severity", "major"}}, t0, "C-1");
///     engine.dispatch(id, "facts_established", {{"agent", "A07"}}, t0 + 5min);
///     engine.advance_to(t0 + 26h);   // due deadlines fire, actions flow
class engine {
public:
    explicit engine(rule_set rules, engine_options options = {});
    ~engine();
    engine(engine&&) noexcept;
    engine& operator=(engine&&) noexcept;

    /// The sink every emitted action goes to (none by default).
    void on_action(detail::callback<void(const action&)> sink);

    /// Opens a case of `workflow` at `at`.  `name` is the host's case id
    /// (default `<workflow>-<n>`); it must be unique in this engine.
    /// Throws usage_error for an unknown workflow, a missing required or
    /// unknown attribute, a value of the wrong type, or `at` before now().
    case_id open(std::string_view workflow, const value_map& attributes, instant at,
                 std::string_view name = {});

    /// Sends an event.  Time first advances to `at` (due deadlines fire), then
    /// the event runs to completion.  Throws usage_error for an unknown event
    /// or field, a badly typed or missing required field, or `at` before now().
    dispatch_result dispatch(case_id c, std::string_view event, const value_map& data, instant at);
    /// The same with a pre-resolved event and no data (the hot path: its
    /// commonest steps run inline, below).
    dispatch_result dispatch(case_id c, event_id e, instant at);
    /// Resolves an event name of a workflow once.
    event_id event(std::string_view workflow, std::string_view event) const;

    /// Reports the result of the case's current tracked call (a `call` with
    /// `attempts`; docs/rules.md).  Time first advances to `at`.  Throws
    /// usage_error when the case has no call waiting for a result.
    void contact_result(case_id c, contact_outcome outcome, std::string_view agent, instant at);

    /// Advances time: every deadline due at or before `t` fires, in due order.
    void advance_to(instant t);
    /// The engine's current time (the latest instant passed in).
    instant now() const;

    // -- queries --------------------------------------------------------
    case_id find(std::string_view name) const;  ///< throws usage_error when unknown
    std::string name(case_id c) const;
    const std::string& workflow(case_id c) const;
    /// The active leaf state.
    const std::string& state(case_id c) const;
    /// The active states, leaf first, then its ancestors.
    std::vector<std::string> configuration(case_id c) const;
    /// Whether `state` is active (the leaf or one of its ancestors).
    bool in_state(case_id c, std::string_view state) const;
    bool closed(case_id c) const;
    value attribute(case_id c, std::string_view name) const;
    value_map attributes(case_id c) const;
    /// Deadlines and protocol timers pending, all cases together.
    std::size_t pending_timers() const;
    /// Inputs applied to the case so far (its optimistic-concurrency version).
    std::uint64_t version(case_id c) const;
    std::size_t case_count() const;
    /// The case's rendered history (requires keep_history).
    std::vector<history_entry> history(case_id c) const;
    /// Every case's history, interleaved in the order it happened.
    std::vector<history_entry> timeline() const;
    /// The case's inputs as a case history file (YAML, see docs/replay.md)
    /// that replays to the same history; `rules_path` goes in its `rules:` line.
    std::string export_history(case_id c, std::string_view rules_path) const;

    const rule_set& rules() const;

private:
    struct impl;  // derives from detail::dispatch_core
    // Owned, and seen here only as the part the inline dispatch reads; a
    // plain pointer, not unique_ptr: no <memory> in hosts' compiles.
    detail::dispatch_core* core_;
    impl& self() const;
    // The library's part of dispatch(case_id, event_id, instant): a cell the
    // inline path does not run, or any of its checks failed.
    dispatch_result run_cell(std::uint32_t c, std::uint32_t e, const detail::dispatch_cell& cell, std::int64_t t);
    dispatch_result dispatch_checked(case_id c, event_id e, std::int64_t t);
    dispatch_result dispatch_logged(detail::case_rec& cr, std::uint32_t c, std::uint32_t e, const detail::dispatch_cell& cell,
                                    std::int64_t t);
};

// A known case and event, nothing due before `at`, and a cell that moves the
// leaf (unguarded, or its guard holds), ignores the event, adds a literal to
// an attribute or closes the case: done here, in the caller's loop, with the
// history's records in an engine that keeps one.  Everything else, including
// every check that fails, is the library's (src/engine.cpp).  The order of
// the kind tests is measured (bench/performance_notes.md): moves and ignored
// events first, as one; then one test for every kind after `guarded_move`
// (an engine with a history has only those), and one more for the
// history's.  The checks and the move are
// marked likely, so that a move runs through without a taken branch (the
// lifecycle script ran ~20 % faster than with GCC's own layout).
inline dispatch_result engine::dispatch(case_id c, event_id e, instant at) {
    detail::dispatch_core& m = *core_;
    const std::int64_t t = at.time_since_epoch().count();
    const std::size_t column = std::size_t{e.index} * sizeof(detail::dispatch_cell);
    if (CASEFLOW_LIKELY(c.index < m.case_count && t >= m.now && t < m.next_due && column < m.row_bytes)) {
        detail::case_rec& cr = m.case_data[c.index];
        if (CASEFLOW_LIKELY(e.workflow == cr.at.workflow)) {
            const detail::dispatch_cell& cell = *reinterpret_cast<const detail::dispatch_cell*>(
                reinterpret_cast<const unsigned char*>(m.cell_data) + column + cr.at.row);
            if (CASEFLOW_LIKELY(cell.kind == detail::dispatch_cell::move) ||
                (cell.kind == detail::dispatch_cell::guarded_move &&
                 detail::guard_holds(cell, m.attr_data[std::size_t{cr.attrs} + cell.operand]))) {
                m.now = t;
                cr.version += cell.answer.steps;
                cr.at = cell.target;
                return {static_cast<dispatch_status>(cell.answer.status)};
            }
            if (cell.kind > detail::dispatch_cell::guarded_move) {
                if (CASEFLOW_LIKELY(cell.kind >= detail::dispatch_cell::logged_move))
                    return dispatch_logged(cr, c.index, e.index, cell, t);
                // A close that leaves nothing to wind down: no deadline or
                // deferred action pending, no ladder, no tracked call.
                if (cell.kind == detail::dispatch_cell::close && cr.idle() &&
                    (!m.cursor || m.cursor->room())) {
                    m.now = t;
                    ++cr.version;
                    if (m.cursor) {  // the step's record, then the closed one
                        const std::uint32_t step = m.cursor->put_step(e.index, cr.at.leaf, cell.transition, cr.last, t, c.index);
                        cr.last = m.cursor->put_small(detail::log_cursor::closed_kind, 0, cell.target.leaf, 0, 0, step, t, c.index);
                    }
                    cr.at = cell.target;
                    cr.closed = true;
                    return {dispatch_status::accepted};
                }
                return run_cell(c.index, e.index, cell, t);
            }
            if (cell.kind == detail::dispatch_cell::set_add && !m.has_sink) {
                std::int64_t* const attrs = m.attr_data + cr.attrs;
                const std::int64_t a = attrs[cell.operand];
                // An unset attribute or an overflow makes the sum unset: the library's
                // (the literal is never negative in these cells).
                if (a != INT64_MIN && a <= INT64_MAX - cell.literal) {
                    m.now = t;
                    ++cr.version;
                    attrs[cell.set_attr] = a + cell.literal;
                    return {dispatch_status::accepted};
                }
            }
            return run_cell(c.index, e.index, cell, t);
        }
    }
    return dispatch_checked(c, e, t);
}

// engine::dispatch's cells of an engine that keeps a history: a step, a
// rejection or a sum writes its fixed-form records here when the log's chunk
// has room (the engine gives these kinds only to cells whose ids fit).  A
// move's and a rejection's record start with the head their cell keeps.
inline dispatch_result engine::dispatch_logged(detail::case_rec& cr, std::uint32_t c, std::uint32_t e,
                                               const detail::dispatch_cell& cell, std::int64_t t) {
    detail::dispatch_core& m = *core_;
    // A step: its record is at `record`.
    const auto stepped = [&](std::uint32_t record) {
        m.now = t;
        ++cr.version;
        cr.last = record;
        cr.at = cell.target;
        return dispatch_result{dispatch_status::accepted};
    };
    if (CASEFLOW_LIKELY(cell.kind == detail::dispatch_cell::logged_move)) {
        if (CASEFLOW_LIKELY(m.cursor->room())) return stepped(m.cursor->put_headed(cell.head, cr.last, t, c));
    } else if (cell.kind == detail::dispatch_cell::logged_guarded_move) {
        if (detail::guard_holds(cell, m.attr_data[std::size_t{cr.attrs} + cell.operand]) && m.cursor->room())
            return stepped(m.cursor->put_step(e, cr.at.leaf, cell.transition, cr.last, t, c));
    } else if (cell.kind >= detail::dispatch_cell::logged_none) {
        if (m.cursor->room()) {
            m.now = t;
            cr.last = m.cursor->put_headed(cell.head, cr.last, t, c);
            return {cell.kind == detail::dispatch_cell::logged_none ? dispatch_status::no_transition : dispatch_status::case_closed};
        }
    } else if (cell.kind == detail::dispatch_cell::logged_set_add && !m.has_sink) {
        // The step's record, then the `set` action's with the value.
        std::int64_t* const attrs = m.attr_data + cr.attrs;
        const std::int64_t a = attrs[cell.operand];
        if (a != INT64_MIN && a <= INT64_MAX - cell.literal && m.cursor->room()) {
            m.now = t;
            ++cr.version;
            const std::uint32_t step = m.cursor->put_step(e, cr.at.leaf, cell.transition, cr.last, t, c);
            std::uint8_t* const value_at = m.cursor->cur + detail::log_cursor::fixed_size;
            cr.last = m.cursor->put_small(detail::log_cursor::action_kind, 0, cell.action, 0xffffffffu, 1, step, t, c);
            detail::log_cursor::store(value_at, a + cell.literal);
            attrs[cell.set_attr] = a + cell.literal;
            return {dispatch_status::accepted};
        }
    }
    return run_cell(c, e, cell, t);
}

}  // namespace caseflow
