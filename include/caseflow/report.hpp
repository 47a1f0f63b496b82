// Reports for supervisors and managers (seed/REQUIREMENTS.md §1, §3): the
// daily digest at 18:00 (the day's major complaints and urgent open problems,
// per supervisor) and weekly / monthly statistics (opened, closed, SLA met and
// breached, escalations, per agent and per workflow).  Reports read only
// case histories, so they work the same on a live engine and on replayed
// case history files; they never change a case.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/calendar.hpp"
#include "caseflow/engine.hpp"
#include "caseflow/history.hpp"
#include "caseflow/time.hpp"

namespace caseflow {

/// A case as reports read it: identity, attributes and history.
struct case_view {
    std::string id;
    std::string workflow;
    std::string state;   ///< the active leaf at the end of `entries` (may be empty for a replayed case that never moved)
    bool closed = false;
    std::map<std::string, std::string, std::less<>> attributes;  ///< rendered as in the history
    std::vector<history_entry> entries;

    /// The first entry's instant (the opening).
    instant opened_at() const;
    /// The attribute's text, or "".
    std::string_view attribute(std::string_view name) const;
};

/// Every case of an engine (requires engine_options::keep_history).
std::vector<case_view> cases_of(const engine& eng);
/// The cases of an engine that can matter for a report starting at `since`:
/// every case still open, and every case opened at or after `since` (cases
/// are numbered in the order they opened, so the rest is skipped cheaply).
std::vector<case_view> cases_of(const engine& eng, instant since);
/// Cases rebuilt from a timeline (e.g. replay_result::timeline), grouped by
/// case id in the order they first appear.  Attributes come from the opening
/// and later `set` actions, the state from the last transition.
std::vector<case_view> cases_of(const std::vector<history_entry>& timeline);

struct report_options {
    /// The calendar whose zone defines days, weeks and 18:00 (the office);
    /// without one, `utc_offset_minutes` is used.
    const calendar* cal = nullptr;
    int utc_offset_minutes = 480;
    /// The digest's local time of day.
    duration digest_time = std::chrono::hours(18);
    /// Who supervises a case: its `supervisor` attribute when set, else this
    /// map by workflow, else "supervisor".
    std::map<std::string, std::string, std::less<>> supervisor_of_workflow;
    /// Attributes naming the case's agent, first set one wins; else the last `assign`.
    std::vector<std::string> owner_attributes = {"owner", "agent", "adviser"};
    /// Items listed per section of a text digest (the JSON form lists all).
    std::size_t max_items = 10;
};

/// The supervisor and owner a report files a case under.
std::string supervisor_of(const case_view& c, const report_options& o);
std::string owner_of(const case_view& c, const report_options& o);

/// One line of a digest.
struct digest_item {
    std::string case_id, workflow, state, owner, customer, severity;
    std::string reason;   ///< "major complaint", "SLA resolution breached", "escalated to supervisor: ..."
    instant since;        ///< when it became a problem
};

struct supervisor_digest {
    std::string supervisor;
    std::vector<digest_item> major_complaints;  ///< major complaints opened in the digest's window
    std::vector<digest_item> urgent;            ///< open at the cutoff: SLA breached, escalated, or a major complaint
};

/// The 18:00 digest of one local day.  Its window runs from the previous
/// day's digest (exclusive) to this one (inclusive), so consecutive digests
/// cover every moment exactly once, holidays included.
struct daily_digest {
    date_t day{};
    instant from, to;
    std::size_t opened = 0, closed = 0, open_at_cutoff = 0;
    std::vector<supervisor_digest> supervisors;  ///< by supervisor name; only those with something to report
};

/// The digest for `day` from a set of cases.
///
///     auto d = caseflow::make_daily_digest(caseflow::cases_of(engine), *caseflow::parse_date("2026-10-09"), opts);
///     std::cout << caseflow::format_digest(d, opts);
daily_digest make_daily_digest(const std::vector<case_view>& cases, date_t day, const report_options& o);
/// The same on a live engine (every case's history is read).
daily_digest make_daily_digest(const engine& eng, date_t day, const report_options& o);

/// Counts of one agent in a period.
struct agent_stats {
    std::string agent;
    std::size_t opened = 0, closed = 0, sla_met = 0, sla_breached = 0, escalations = 0;
};
/// One SLA clock of one workflow in a period.
struct sla_stats {
    std::string workflow, sla;
    std::size_t started = 0, warned = 0, met = 0, breached = 0, cancelled = 0;
    std::size_t running = 0;  ///< started and neither met, breached nor cancelled by the period's end
};
/// One workflow in a period.
struct workflow_stats {
    std::string workflow;
    std::size_t opened = 0, closed = 0, open_at_end = 0, escalations = 0;
    duration total_time_to_close{0};  ///< over the cases both opened and closed in the period
    std::size_t closed_of_opened = 0;
};

/// Weekly or monthly statistics over `[from, to)`.
struct period_stats {
    std::string label;  ///< `week 2026-W41`, `month 2026-10`
    instant from, to;
    std::size_t opened = 0, closed = 0, sla_met = 0, sla_breached = 0, escalations = 0;
    std::vector<agent_stats> agents;        ///< by agent name; "(unassigned)" last
    std::vector<workflow_stats> workflows;  ///< by workflow name
    std::vector<sla_stats> slas;            ///< by workflow, then SLA name
};

period_stats make_period_stats(const std::vector<case_view>& cases, instant from, instant to, std::string label,
                               const report_options& o);
/// The ISO week (Monday to Sunday, local) containing `day`.
period_stats weekly_stats(const std::vector<case_view>& cases, date_t day, const report_options& o);
/// The calendar month containing `day`.
period_stats monthly_stats(const std::vector<case_view>& cases, date_t day, const report_options& o);

/// Text forms (several lines each) and JSON forms (one object each).
std::string format_digest(const daily_digest& d, const report_options& o);
std::string format_stats(const period_stats& s, const report_options& o);
std::string digest_json(const daily_digest& d, const report_options& o);
std::string stats_json(const period_stats& s, const report_options& o);

}  // namespace caseflow
