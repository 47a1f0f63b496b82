// The compiled form of a rule set: what the YAML loader produces and the
// interpreter runs.  Names are resolved to dense integer ids at load time;
// dispatch indexes `dispatch_table` by (leaf state, event) and walks a short,
// pre-flattened list of candidate steps.  Nothing here is touched by strings
// on the hot path.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "caseflow/action.hpp"
#include "caseflow/calendar.hpp"
#include "caseflow/error.hpp"
#include "caseflow/detail/expr.hpp"
#include "caseflow/detail/ref_count.hpp"
#include "caseflow/detail/slot.hpp"

namespace caseflow::detail {

constexpr std::uint32_t no_id = 0xffffffffu;

struct attribute_def {
    std::string name;
    slot_type type;
    bool required = false;
    slot default_value = unset_slot;
    source_pos pos;
};

struct field_def {
    std::string name;
    slot_type type;
    bool required = false;
    source_pos pos;
};

struct event_def {
    std::string name;
    std::vector<field_def> fields;
    source_pos pos;
};

/// One piece of an action parameter: literal text, or `${expr}`.
struct template_part {
    std::string text;
    program expr;  // empty for literal text
};

struct param_def {
    std::string name;
    std::vector<template_part> parts;
    /// Parameter values that are a single literal are pre-rendered here.
    bool is_literal() const { return parts.size() == 1 && parts[0].expr.empty(); }
};

struct assignment_def {
    std::uint32_t attribute = no_id;
    program expr;
};

struct action_def {
    action_kind kind = action_kind::record;
    program when;                       ///< optional condition
    std::vector<param_def> params;      ///< ordered as written
    std::vector<assignment_def> sets;   ///< for `set` and `open_case.attributes`
    std::uint32_t target_workflow = no_id;  ///< for open_case
    std::uint32_t expr_count = 0;       ///< template expressions, for history payloads
    std::int32_t escalate_level = -1;   ///< escalate: the ladder level named by a literal `to`
    // call: a tracked contact attempt when attempts > 1
    std::uint16_t attempts = 1;
    bool retry_same_day = true;         ///< else retry_after
    bool other_agent = false;
    duration retry_after{0};
    source_pos pos;

    /// Index of parameter `name`, or -1.
    int param(std::string_view name) const {
        for (std::size_t i = 0; i < params.size(); ++i)
            if (params[i].name == name) return static_cast<int>(i);
        return -1;
    }
};

/// When a deadline is due (docs/rules.md, "Deadlines").
struct deadline_def {
    enum class kind : std::uint8_t {
        after,        ///< offset after state entry
        at_expr,      ///< an instant or date expression
        phrase,       ///< `N UNIT after|before ANCHOR [at HH:MM]`, `on ...`, `today at`, ...
        every,        ///< recurring
    };
    enum class phrase_kind : std::uint8_t { after, before, on, today, end_of_working_day, next_working_day };
    enum class every_kind : std::uint8_t { day, working_day, interval };

    std::string name;
    kind how = kind::after;
    phrase_kind phrase = phrase_kind::after;
    every_kind every = every_kind::interval;
    business_duration offset = business_duration::calendar(duration{0});
    program expr;                        ///< at_expr
    std::uint32_t anchor = no_id;        ///< phrase anchor attribute; no_id: state entry
    std::int32_t time_of_day = -1;       ///< minutes after local midnight; -1: none
    std::uint32_t event = no_id;         ///< event dispatched when due
    std::vector<std::uint32_t> actions;  ///< actions run when due
    std::uint32_t state = no_id;
    source_pos pos;
};

/// An SLA clock's definition (docs/rules.md, "SLA clocks").
struct sla_def {
    std::string name;
    business_duration target = business_duration::calendar(duration{0});
    std::vector<int> warn_at;
    bool start_at_open = true;
    std::vector<std::uint32_t> start_enter, start_on, stop_enter, stop_on, cancel_enter, cancel_on, pause_in;
    std::vector<std::uint32_t> on_warning, on_breach;  ///< action indexes
    source_pos pos;
};

struct ladder_level {
    std::string name;
    bool has_within = false;
    business_duration within = business_duration::calendar(duration{0});
};

struct transition_def {
    std::uint32_t source = no_id;    ///< state that declares it
    std::uint32_t target = no_id;    ///< no_id: internal transition (actions only)
    std::uint32_t event = no_id;     ///< no_id: eventless (completion) transition
    program guard;
    std::vector<std::uint32_t> actions;  ///< indexes into workflow_def::actions
    source_pos pos;
};

struct state_def {
    std::string name;
    std::uint32_t parent = no_id;
    std::uint32_t initial = no_id;   ///< initial child, for composite states
    std::uint32_t depth = 0;
    bool final = false;
    std::vector<std::uint32_t> children;
    std::vector<std::uint32_t> entry;   ///< action indexes
    std::vector<std::uint32_t> exit;
    std::vector<std::uint32_t> eventless;  ///< transition indexes, document order
    std::vector<std::uint32_t> deadlines;  ///< deadline indexes
    source_pos pos;
    bool composite() const { return !children.empty(); }
};

/// A transition as seen from one leaf state: which states to exit (innermost
/// first) and enter (outermost first, ending at a leaf).
struct step {
    std::uint32_t transition = no_id;
    std::uint32_t exit_begin = 0, exit_end = 0;    ///< range in workflow_def::path
    std::uint32_t entry_begin = 0, entry_end = 0;  ///< range in workflow_def::path
    std::uint32_t target_leaf = no_id;             ///< leaf reached (no_id: internal)
    /// Nothing to do but move the leaf: no exit, transition or entry actions,
    /// no deadlines on the states left or entered, and the leaf reached is
    /// neither final nor has eventless transitions.  The interpreter's fast path.
    bool plain = false;
    /// As plain, except that the leaf reached is a top-level final state:
    /// moving there closes the case and nothing else.
    bool closes = false;
    /// As plain, except that the transition has actions (and is not internal).
    bool acting = false;
    /// As plain or acting (not internal, the leaf reached neither final nor
    /// with eventless transitions), except that states left or entered have
    /// deadlines; none of them has entry or exit actions.
    bool timed = false;
};

struct workflow_def {
    std::string name;
    std::int64_t version = 1;
    std::string calendar_name;             ///< empty for none
    const caseflow::calendar* calendar = nullptr;  ///< resolved after loading
    std::string file;
    std::vector<attribute_def> attributes;
    std::vector<event_def> events;
    std::vector<state_def> states;
    std::vector<transition_def> transitions;
    std::vector<action_def> actions;
    std::vector<deadline_def> deadlines;
    std::vector<sla_def> slas;
    std::vector<ladder_level> ladder;            ///< escalation levels, lowest first
    std::vector<std::uint32_t> ladder_handled_on;  ///< events that end an escalation
    source_pos ladder_pos;
    /// Events the engine sends on contact results (no_id: not declared).
    std::uint32_t contact_events[4] = {no_id, no_id, no_id, no_id};  // reached, unreached, rejected, given_up
    std::uint32_t initial = no_id;       ///< top-level initial state
    std::uint32_t initial_leaf = no_id;  ///< leaf reached from it
    std::vector<std::uint32_t> initial_entry;  ///< states entered on open, outermost first

    // Compiled dispatch: steps for (leaf, event) are
    // steps[dispatch_table[leaf * events.size() + event] .. dispatch_table[... + 1]).
    std::vector<std::uint32_t> dispatch_table;
    // Eventless steps per leaf: eventless_steps[eventless_table[leaf] .. [leaf + 1]).
    std::vector<std::uint32_t> eventless_table;
    std::vector<step> steps;
    std::vector<std::uint32_t> path;  ///< state ids referenced by steps

    std::map<std::string, std::uint32_t, std::less<>> state_ids, event_ids, attribute_ids;

    std::uint32_t find_state(std::string_view n) const { return find(state_ids, n); }
    std::uint32_t find_event(std::string_view n) const { return find(event_ids, n); }
    std::uint32_t find_attribute(std::string_view n) const { return find(attribute_ids, n); }

private:
    static std::uint32_t find(const std::map<std::string, std::uint32_t, std::less<>>& m, std::string_view n) {
        auto it = m.find(n);
        return it == m.end() ? no_id : it->second;
    }
};

/// A whole loaded rule set: workflows, shared enums and interned literals;
/// what rule_set handles share (reference counted: see ref_count.hpp).
struct rule_set_data : ref_counted {
    std::vector<workflow_def> workflows;
    std::map<std::string, std::uint32_t, std::less<>> workflow_ids;
    std::vector<enum_def> enums;
    string_pool strings;  ///< literals interned at load; engines copy it
    calendar_set calendars;
    std::vector<std::string> files;  ///< every file loaded, in load order

    std::uint32_t find_workflow(std::string_view n) const {
        auto it = workflow_ids.find(n);
        return it == workflow_ids.end() ? no_id : it->second;
    }
};

}  // namespace caseflow::detail
