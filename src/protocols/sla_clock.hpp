// The SLA clock protocol: not_started -> running <-> paused -> warned -> met /
// breached / cancelled.  The transitions are a Boost.MSM machine that lives in
// sla_clock.cpp only; this facade holds no MSM type, so it stays cheap to
// include and a host in C++20 never sees MSM.
//
// Memory: the engine may hold a million clocks, so a clock is a 40-byte value
// (a one-byte state, a one-byte warning cursor, three 64-bit times and a
// pointer to the shared policy).  There is no per-clock MSM object and no heap
// allocation: each call builds a transient MSM machine on the stack, puts it
// in the stored state, lets it dispatch one event (its actions do the time
// arithmetic) and copies the resulting state back; the table stays checked
// at compile time.  Measured with g++ 12 -O2 on a loaded 2-core box: 10-25 ns
// a tick, 45-90 ns a pause or resume with its record.  The alternative, one
// heap-allocated MSM object per clock behind a unique_ptr, would add a
// pointer, an allocation and ~40 bytes per clock for no gain.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "caseflow/time.hpp"

namespace caseflow::protocols {

/// How an SLA target counts time.  The engine implements it with business
/// calendars ("72 business_hours"); `calendar_time_measure` counts every ms.
struct time_measure {
    virtual ~time_measure() = default;
    /// Counted time between `a` and `b` (`a <= b`): working time for business
    /// targets, plain time otherwise.
    virtual duration elapsed(instant a, instant b) const = 0;
    /// The earliest instant at which `d` (>= 0) of counted time has passed
    /// since `from`.
    virtual instant add(instant from, duration d) const = 0;
};

/// Counts plain (calendar) time: elapsed = b - a, add = from + d.
struct calendar_time_measure final : time_measure {
    duration elapsed(instant a, instant b) const override { return b - a; }
    instant add(instant from, duration d) const override { return from + d; }
    /// A shared instance; the measure has no state.
    static const calendar_time_measure& instance();
};

/// What one SLA definition asks for; shared by every clock of that SLA, so it
/// must outlive them (the engine keeps it in the loaded rule set).
struct sla_policy {
    /// Counted time allowed; must be > 0.
    duration target{};
    /// Warning thresholds in percent of the target, each in 1..99 and strictly
    /// increasing (e.g. {50, 75}).  A threshold at `p`% is reached when the
    /// counted time is >= target * p / 100 (integer ms, rounded down).
    std::vector<int> warn_at;
    /// Never null.
    const time_measure* measure = &calendar_time_measure::instance();

    /// Throws caseflow::usage_error if the fields break the rules above.
    void validate() const;
};

enum class sla_state : std::uint8_t {
    not_started,
    running,
    paused,
    warned,         ///< running, at least one warning threshold passed
    warned_paused,  ///< paused after a warning; resume goes back to warned
    met,            ///< final
    breached,       ///< final: stop, pause, resume, cancel change nothing
    cancelled,      ///< final
};

enum class sla_event : std::uint8_t { started, paused, resumed, warned, met, breached, cancelled };

/// One state change of a clock, for the case history.
struct sla_record {
    /// When it happened.  For `warned` and `breached` this is the instant the
    /// threshold was crossed, which is earlier than the tick that noticed it
    /// when the engine ticks late (catching up after downtime or a replay).
    instant at;
    sla_event kind;
    /// The threshold for `warned` (e.g. 50) and 100 for `breached`, else 0.
    int percent = 0;
    /// Counted time at `at`, paused time excluded.
    duration elapsed{};

    friend bool operator==(const sla_record& a, const sla_record& b) {
        return a.at == b.at && a.kind == b.kind && a.percent == b.percent &&
               a.elapsed == b.elapsed;
    }
    friend bool operator!=(const sla_record& a, const sla_record& b) { return !(a == b); }
};

const char* to_string(sla_state s) noexcept;
const char* to_string(sla_event e) noexcept;

/// One SLA clock of one case.
///
/// Every operation takes the instant it happens at and appends the resulting
/// records to `out` (never clears it).  Each returns true if the clock changed
/// (at least one record), false for an event that does not apply in the
/// current state (pause when not running, anything after a final state,
/// an instant earlier than the clock's last change): those are ignored
/// deterministically and append nothing.
///
/// Every timed operation first catches up: thresholds crossed up to `t` are
/// emitted (warnings, breach) before the event itself is applied.  So
/// `stop(t)` with `t` at or past the due instant yields `breached`, not `met`,
/// and a pause after the breach changes nothing more.
///
///     caseflow::protocols::sla_policy policy{std::chrono::hours{72}, {50, 75}};
///     caseflow::protocols::sla_clock clock{policy};
///     std::vector<caseflow::protocols::sla_record> records;
///     clock.start(now, records);
///     engine_timer(clock.next_due());   // first warning at now + 36h
class sla_clock {
public:
    /// `policy` must outlive the clock and satisfy `sla_policy::validate()`
    /// (not re-checked here: it is checked once when the rules load).
    explicit sla_clock(const sla_policy& policy) noexcept : policy_(&policy) {}

    bool start(instant t, std::vector<sla_record>& out);
    bool pause(instant t, std::vector<sla_record>& out);
    bool resume(instant t, std::vector<sla_record>& out);
    /// The measured activity ended: met, or breached if the target passed.
    bool stop(instant t, std::vector<sla_record>& out);
    /// The clock no longer applies (case withdrawn); allowed from not_started.
    bool cancel(instant t, std::vector<sla_record>& out);
    /// Time has advanced to `t`: emits each warning once and the breach.
    bool tick(instant t, std::vector<sla_record>& out);

    sla_state state() const noexcept { return state_; }
    bool is_running() const noexcept {
        return state_ == sla_state::running || state_ == sla_state::warned;
    }
    bool is_paused() const noexcept {
        return state_ == sla_state::paused || state_ == sla_state::warned_paused;
    }
    bool is_final() const noexcept { return state_ >= sla_state::met; }

    /// The next instant at which the clock needs a tick (next warning
    /// threshold or the breach); nullopt unless running.
    std::optional<instant> next_due() const;
    /// The breach instant if the clock keeps running; recomputed on each
    /// start/resume.  nullopt unless running.
    std::optional<instant> due() const noexcept;
    /// Counted time at `t` (>= the last change), paused time excluded; for a
    /// final clock, the counted time when it ended.
    duration elapsed(instant t) const;
    const sla_policy& policy() const noexcept { return *policy_; }

private:
    friend struct sla_clock_access;

    const sla_policy* policy_;
    // Counted time before the current running segment (all of it when
    // paused or final).
    duration elapsed_before_{0};
    // Running: start of the current segment.  Paused: when it paused.
    // Final: when it ended.  It is the clock's last change, so also the
    // lower bound for the next event's instant.
    instant mark_{};
    // Running: the breach instant of the current segment.
    instant due_{};
    sla_state state_ = sla_state::not_started;
    // Index into policy_->warn_at of the next warning still to emit.
    std::uint8_t next_warning_ = 0;
};

}  // namespace caseflow::protocols
