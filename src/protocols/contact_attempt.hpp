// The outbound contact attempt protocol: scheduled -> (deferred by quiet
// hours) -> due -> in_progress -> reached | rejected | unreached -> retry
// scheduled -> ... -> given_up.  A Boost.MSM machine in contact_attempt.cpp
// drives it; like sla_clock.hpp, the facade stores a one-byte state plus a
// few fields (24 bytes, no heap) and builds a transient machine per call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "caseflow/time.hpp"

namespace caseflow::protocols {

/// An agent, as an interned id (the engine maps names to ids).
using agent_id = std::uint32_t;
inline constexpr agent_id no_agent = std::numeric_limits<agent_id>::max();

/// When outbound contact is allowed ("never call while the customer is
/// resting").  The engine implements it from the business calendar.
struct quiet_hours {
    virtual ~quiet_hours() = default;
    /// `t` itself if contact is allowed at `t`, else the first allowed instant
    /// after it.
    virtual instant next_allowed(instant t) const = 0;
};

/// Contact is allowed at any time.
struct no_quiet_hours final : quiet_hours {
    instant next_allowed(instant t) const override { return t; }
    static const no_quiet_hours& instance();
};

enum class retry_timing : std::uint8_t {
    /// Retry `retry_after` after the unreached call.
    after_delay,
    /// Retry before the end of the same working day: the engine computes the
    /// instant from the calendar and passes it in `retry_context`; without
    /// one (the day is over) the attempt falls back to `retry_after`.
    same_working_day,
};

/// One contact definition's rules; shared by every attempt, must outlive them.
struct contact_policy {
    /// Calls in total, the first included; >= 1.
    std::uint16_t max_attempts = 3;
    retry_timing retry = retry_timing::after_delay;
    /// >= 0.
    duration retry_after{std::chrono::hours{1}};
    /// "Call again at another time with another agent": each retry goes to
    /// the next agent after the last caller in the roster that differs.
    bool reassign_on_retry = false;

    /// Throws caseflow::usage_error if the fields break the rules above.
    void validate() const;
};

/// What the engine knows when a call ends unreached.
struct retry_context {
    const quiet_hours* quiet = &no_quiet_hours::instance();
    /// For retry_timing::same_working_day: the retry instant the engine chose.
    std::optional<instant> same_day_retry_at;
    /// The ordered roster for reassignment (not owned; may be empty).
    const agent_id* agents = nullptr;
    std::size_t agent_count = 0;
};

/// The agent after `last` in `roster` (cyclically) that differs from `last`;
/// if `last` is not in it, the first that differs; if none differs, `last`.
agent_id next_agent(const agent_id* roster, std::size_t count, agent_id last) noexcept;

enum class contact_outcome : std::uint8_t { reached, unreached, rejected };

enum class contact_state : std::uint8_t {
    idle,             ///< nothing scheduled yet
    scheduled,        ///< waiting for the planned instant
    deferred,         ///< waiting, moved out of quiet hours
    due,              ///< the planned instant came; an agent should call
    in_progress,      ///< the call started
    unreached,        ///< transient: never observed between calls
    retry_scheduled,  ///< waiting for the next attempt
    reached,          ///< final
    rejected,         ///< final: the customer refuses
    given_up,         ///< final: max_attempts calls unreached
};

enum class contact_event : std::uint8_t {
    attempt_scheduled,  ///< to = planned instant
    deferred,           ///< from = planned instant in quiet hours, to = allowed
    attempt_due,
    call_started,
    reached,
    unreached,
    rejected,
    retry_scheduled,  ///< to = planned instant, agent = who should call
    given_up,         ///< attempt = calls made
};

/// One step of an attempt, for the case history.
struct contact_record {
    /// When it happened (the input's instant).
    instant at;
    contact_event kind;
    /// 1-based number of the call the record is about.
    std::uint16_t attempt = 0;
    /// The agent who should call (scheduled, deferred, due, retry) or who
    /// called (started, results).
    agent_id agent = no_agent;
    instant from{};
    instant to{};

    friend bool operator==(const contact_record& a, const contact_record& b) {
        return a.at == b.at && a.kind == b.kind && a.attempt == b.attempt &&
               a.agent == b.agent && a.from == b.from && a.to == b.to;
    }
    friend bool operator!=(const contact_record& a, const contact_record& b) {
        return !(a == b);
    }
};

const char* to_string(contact_state s) noexcept;
const char* to_string(contact_event e) noexcept;

/// One outbound contact (with its retries) of one case.
///
/// Operations append records to `out` and return true if the attempt
/// changed; an input that does not apply in the current state (a result
/// before the call is due, anything after a final state, `due` before the
/// planned instant) is ignored deterministically: false, nothing appended.
///
///     contact_attempt call{policy};
///     call.schedule(now, now + 24h, owner, calendar_quiet_hours, records);
///     set_timer(*call.next_due());                    // later: call.due(t, records)
///     call.result(contact_outcome::unreached, t, owner, records, {&quiet, end_of_day,
///                 roster.data(), roster.size()});   // retry_scheduled to another agent
class contact_attempt {
public:
    /// `policy` must outlive the attempt and satisfy validate().
    explicit contact_attempt(const contact_policy& policy) noexcept : policy_(&policy) {}

    /// Plans the first call for `at` by `agent`; deferred if `at` is in quiet
    /// hours.  Only from idle.
    bool schedule(instant now, instant at, agent_id agent, const quiet_hours& quiet,
                  std::vector<contact_record>& out);
    /// The engine's timer fired: scheduled/deferred/retry_scheduled -> due,
    /// if `t` >= the planned instant.
    bool due(instant t, std::vector<contact_record>& out);
    /// Optional: an agent started the call (due -> in_progress).
    bool begin(instant t, agent_id agent, std::vector<contact_record>& out);
    /// The call's result, from due or in_progress.  `agent` is who called
    /// (no_agent: the planned one).  Unreached retries or gives up.
    bool result(contact_outcome outcome, instant t, agent_id agent,
                std::vector<contact_record>& out, const retry_context& ctx = {});

    contact_state state() const noexcept { return state_; }
    bool is_final() const noexcept { return state_ >= contact_state::reached; }
    /// The instant the engine should call due(); nullopt unless waiting.
    std::optional<instant> next_due() const noexcept;
    /// The current (or last) call's number, 1-based; 0 before scheduling.
    std::uint16_t attempt() const noexcept { return attempt_; }
    /// Who should make the current call (or made the last one).
    agent_id agent() const noexcept { return agent_; }
    const contact_policy& policy() const noexcept { return *policy_; }

private:
    friend struct contact_attempt_access;

    const contact_policy* policy_;
    instant planned_{};  // when the pending call is due (after any deferral)
    agent_id agent_ = no_agent;
    std::uint16_t attempt_ = 0;
    contact_state state_ = contact_state::idle;
};

}  // namespace caseflow::protocols
