// The case history: every input (open, event, time advance) and every effect
// (transition, action, rejection, timer) in order.  Entries are rendered from
// the engine's compact in-memory log; to_string() is the stable text form
// whose byte-identity across replays is a tested guarantee.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseflow/error.hpp"
#include "caseflow/time.hpp"

namespace caseflow {

enum class record_kind : std::uint8_t {
    opened,       ///< case opened (fields: attributes)
    event,        ///< event accepted (fields: event data)
    rejected,     ///< event no transition accepted; the case is unchanged
    transition,   ///< from -> to (fields: from, to, event)
    action,       ///< an action emitted (fields: its parameters)
    timer_set,    ///< a deadline armed (fields: name, due)
    timer_fired,  ///< a deadline fired
    timer_cancelled,
    sla,          ///< an SLA clock changed state (subject: `<sla> <change>`)
    escalation,   ///< the escalation ladder moved (subject: escalated, re_escalated, top_reached, handled)
    contact,      ///< a contact attempt moved, or the host reported a call's result
    closed,       ///< a final top-level state was reached
    note,         ///< engine diagnostics (e.g. completion loop limit)
};

std::string_view to_string(record_kind k);

/// One rendered history entry.
struct history_entry {
    instant at;
    std::string case_id;
    record_kind kind = record_kind::note;
    std::string subject;  ///< event name, action kind, `from -> to`, ...
    std::vector<std::pair<std::string, std::string>> fields;
    source_pos origin;    ///< rule position, when a rule produced it

    /// `2026-09-30T08:05:00Z C-1 event facts_established {agent: A07}`
    std::string to_string() const;
    /// The value of field `name`, or "".
    std::string_view field(std::string_view name) const;
};

/// The whole history as text, one entry a line.
std::string to_string(const std::vector<history_entry>& history);

}  // namespace caseflow
