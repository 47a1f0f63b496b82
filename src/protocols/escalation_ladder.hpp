// The escalation ladder protocol: named levels (agent -> supervisor ->
// department_manager); a rule escalates straight to a level, and a task not
// handled `within` its level's time climbs one level, until the top.  A
// Boost.MSM machine in escalation_ladder.cpp drives it; like sla_clock.hpp,
// the facade is a 24-byte value that builds a transient machine per call.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/time.hpp"
#include "protocols/sla_clock.hpp"  // time_measure

namespace caseflow::protocols {

/// A level's position in its ladder, 0 = bottom.
using level_index = std::uint8_t;
inline constexpr level_index no_level = std::numeric_limits<level_index>::max();

struct escalation_level {
    std::string name;
    /// How long a task escalated to this level may wait before it is overdue;
    /// >= 0, counted by the ladder's measure.
    duration within{};
};

/// One ladder definition; shared by every case, must outlive the ladders.
struct escalation_policy {
    /// Bottom to top; 1..254 levels, unique names.
    std::vector<escalation_level> levels;
    /// How `within` is counted (business hours, or plain time); never null.
    const time_measure* measure = &calendar_time_measure::instance();

    /// Throws caseflow::usage_error if the fields break the rules above.
    void validate() const;
    /// The level called `name`, for the rule loader; nullopt if none.
    std::optional<level_index> find(std::string_view name) const;
    level_index top() const noexcept { return static_cast<level_index>(levels.size() - 1); }
};

enum class escalation_state : std::uint8_t {
    idle,         ///< never escalated
    escalated,    ///< waiting for a handler at level(), until next_due()
    top_reached,  ///< overdue at the top level: nobody left to escalate to
    handled,      ///< the task was handled; a later rule may escalate again
};

enum class escalation_event : std::uint8_t {
    escalated,     ///< by rule, to `level` (from `from`, or no_level)
    re_escalated,  ///< overdue at `from`, climbed to `level`
    top_reached,   ///< overdue at the top `level`; stays there
    handled,       ///< handled at `level`
};

/// One step, for the case history.
struct escalation_record {
    instant at;
    escalation_event kind;
    level_index level = no_level;
    level_index from = no_level;
    /// escalated / re_escalated: when the new level becomes overdue.
    instant due{};

    friend bool operator==(const escalation_record& a, const escalation_record& b) {
        return a.at == b.at && a.kind == b.kind && a.level == b.level && a.from == b.from &&
               a.due == b.due;
    }
    friend bool operator!=(const escalation_record& a, const escalation_record& b) {
        return !(a == b);
    }
};

const char* to_string(escalation_state s) noexcept;
const char* to_string(escalation_event e) noexcept;

/// The escalation of one task of one case.
///
/// Operations append records to `out` and return true if the ladder changed;
/// an input that does not apply (handled when nothing is escalated, overdue
/// before next_due(), escalation to a level not above the current one) is
/// ignored deterministically: false, nothing appended.  A level index out of
/// range is a programming error: caseflow::usage_error.
///
///     escalation_ladder ladder{policy};                      // agent, supervisor, manager
///     ladder.escalate_to(*policy.find("supervisor"), now, records);
///     set_timer(*ladder.next_due());       // fires: ladder.overdue(t, records) -> manager
class escalation_ladder {
public:
    /// `policy` must outlive the ladder and satisfy validate().
    explicit escalation_ladder(const escalation_policy& policy) noexcept : policy_(&policy) {}

    /// Escalates to `level` now (a rule may jump levels), due after `within`
    /// (default: the level's own).  From idle or handled any level; while
    /// escalated only a higher level.
    bool escalate_to(level_index level, instant t, std::vector<escalation_record>& out,
                     std::optional<duration> within = std::nullopt);
    /// The escalated task was handled.
    bool handled(instant t, std::vector<escalation_record>& out);
    /// The engine's timer fired (`t` >= next_due()): one level up, or
    /// top_reached at the top.
    bool overdue(instant t, std::vector<escalation_record>& out);

    escalation_state state() const noexcept { return state_; }
    /// The current (or last) level; no_level while idle.
    level_index level() const noexcept { return level_; }
    /// When the current escalation becomes overdue; nullopt unless escalated.
    std::optional<instant> next_due() const noexcept;
    const escalation_policy& policy() const noexcept { return *policy_; }

private:
    friend struct escalation_ladder_access;

    const escalation_policy* policy_;
    instant due_{};
    level_index level_ = no_level;
    escalation_state state_ = escalation_state::idle;
};

}  // namespace caseflow::protocols
