// Return-visit campaigns (seed/REQUIREMENTS.md §2): pick the customers due for
// a return visit, share them evenly among the agents on duty, open one
// `return_visit` case each, place the calls outside quiet hours, record every
// result, and close the campaign after its window (3 working days) with an
// escalation for every visit not done.  The engine stays deterministic; the
// campaign is host-side batch work that drives it with timed events, and the
// call results come from the host through a `dialer` callback.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/calendar.hpp"
#include "caseflow/detail/callback.hpp"
#include "caseflow/engine.hpp"
#include "caseflow/error.hpp"
#include "caseflow/time.hpp"

namespace caseflow {

/// One customer of the host's archive, as a campaign needs it.
struct customer_record {
    std::string id;            ///< customer number, unique
    std::string name;
    std::string phone;
    bool member = false;       ///< member customers must all be visited
    std::optional<date_t> due; ///< the day the return visit falls due; none: not due
    std::string subject_case;  ///< the case the visit follows up, if any
};

/// A malformed customer file; what() is `file:line:column: message`.
class csv_error : public error {
public:
    using error::error;
};

/// Reads customers from CSV (RFC 4180: comma-separated, `"` quoting with `""`
/// for a quote, quoted fields may hold commas and line breaks, CRLF or LF).
/// The first row names the columns; by name, in any order: `id` and `phone`
/// (required), `name`, `member` (`yes`/`no`, `true`/`false`, `1`/`0`, empty =
/// no), `due` (`YYYY-MM-DD`, empty = not due), `case`.  Other columns are
/// ignored.  Throws csv_error naming `file:line:column`.
///
///     auto customers = caseflow::read_customers_csv("examples/data/customers.csv");
std::vector<customer_record> read_customers_csv(const std::string& path);
/// The same from a stream; `name` stands for the file in messages.
std::vector<customer_record> read_customers_csv(std::istream& in, const std::string& name);

/// The customers due on or before `day`, in a stable order that does not
/// depend on the input's order: members first, then by customer id.
std::vector<customer_record> select_due(const std::vector<customer_record>& customers, date_t day);

/// Round-robin assignment: customer i (of an already ordered list) goes to
/// agent `i % agents`.  Counts per agent differ by at most one, and since
/// select_due() puts members first, so do the members per agent.
std::vector<std::size_t> assign_round_robin(std::size_t customers, std::size_t agents);

/// What one call attempt gave.
enum class call_outcome {
    unreached,     ///< nobody answered / not convenient now
    satisfied,     ///< reached, customer satisfied
    dissatisfied,  ///< reached, not satisfied (recorded, no complaint)
    complaint,     ///< reached, the customer raised a complaint: a linked complaint case
};
std::string_view to_string(call_outcome o);

/// A call the campaign asks the host to place.
struct call_request {
    const customer_record* customer = nullptr;
    std::string case_name;
    std::string agent;
    instant at;
    int attempt = 1;  ///< 1 for the first call of this customer
};

/// The host's answer: how the call went.
struct call_result {
    call_outcome outcome = call_outcome::unreached;
    std::string remark;                 ///< recorded with the visit
    std::string severity = "normal";    ///< of a complaint: minor, normal or major
    std::string complaint;              ///< what the customer complained about
    duration talk_time = std::chrono::minutes(3);  ///< reached calls: 3 minutes, at most 5
};

/// Places a call and says how it went (the host's telephony, or a simulation).
/// Any callable taking a `const call_request&` converts to it.  Move-only
/// (detail::callback, not std::function: <functional> costs every host
/// translation unit compile time); a campaign owns its dialer.
using dialer = detail::callback<call_result(const call_request&)>;

struct campaign_options {
    std::string name = "RV";              ///< campaign id; cases are named `<name>-<customer id>`
    std::string workflow = "return_visit";
    std::vector<std::string> agents;      ///< on duty; used sorted by name (a stable order)
    instant start;                        ///< when the campaign starts
    /// Customers due on or before this local date are selected (default: the start's date).
    std::optional<date_t> due_on;
    /// The campaign must be finished within this (REQUIREMENTS: 3 days, counted in working days).
    business_duration window = business_duration::days(3);
    duration retry_after = std::chrono::hours(1);  ///< an unreached customer is tried again this much later...
    int attempts_per_day = 2;             ///< ...at most this often a working day
    duration ring_time = std::chrono::minutes(1);  ///< an unreached call occupies the agent this long
    duration wrap_up = std::chrono::minutes(2);    ///< recording after each call
};

/// One customer's visit as the campaign left it.
struct campaign_visit {
    std::string customer;
    std::string case_name;
    std::string agent;
    bool member = false;
    int attempts = 0;
    std::string outcome;   ///< satisfied, dissatisfied, complaint, unreached, not_visited, pending
    std::string state;     ///< the case's state at the end
    std::string complaint_case;  ///< the linked complaint case, if one was opened
};

/// Per-agent load: the distribution is even when `assigned` differ by at most one.
struct agent_load {
    std::string agent;
    std::size_t assigned = 0, members = 0, calls = 0, reached = 0;
};

/// The campaign's analysis and summary (REQUIREMENTS §2: analyse and summarise).
struct campaign_summary {
    std::string name;
    instant start, deadline;   ///< deadline = start + window on the calendar
    instant finished_at;       ///< last call result, or the deadline when work was left
    bool finished_in_time = true;
    std::size_t selected = 0, members = 0;
    std::size_t calls = 0;     ///< call attempts placed
    std::size_t reached = 0;   ///< = satisfied + dissatisfied + complaints
    std::size_t satisfied = 0, dissatisfied = 0, complaints = 0;
    std::size_t unreached = 0;       ///< non-members given up after their attempts
    std::size_t not_visited = 0;     ///< still open at the deadline: escalated
    std::size_t members_visited = 0; ///< members reached; 100 % is the rule
    std::size_t escalations = 0;     ///< escalate actions at the deadline
    std::vector<agent_load> agents;
    std::vector<std::string> complaint_cases;
};

struct campaign_result {
    campaign_summary summary;
    std::vector<campaign_visit> visits;  ///< in selection order
};

/// A campaign running in an engine (usually on rules/return_visit.yaml), on
/// calendar `cal` (working hours, quiet hours).  The constructor selects the
/// due customers, assigns them and opens one case each at `options.start`.
/// Calls are then placed only in working time and outside quiet hours, one at
/// a time per agent, and every result is dispatched as an event, so the
/// engine's history records every attempt.  At the deadline every case still
/// open gets `campaign_overdue` (the rules escalate it).  Deterministic: the
/// same inputs and dialer answers give the same history.
///
/// The campaign advances the engine's time itself.  A host that drives other
/// cases in the same engine interleaves: it calls run_until(t) before it
/// dispatches anything at t, or asks next_due() (see src/cli/demo.cpp).
class campaign {
public:
    /// Throws usage_error for no agents, an unknown workflow, or a start
    /// before engine.now().
    campaign(engine& eng, const calendar& cal, const std::vector<customer_record>& customers,
             campaign_options options, dialer dial);
    ~campaign();
    campaign(campaign&&) noexcept;
    campaign& operator=(campaign&&) noexcept;

    /// The instant of the campaign's next piece of work; none once finished.
    std::optional<instant> next_due() const;
    /// Does every piece of work due at or before `t`.
    void run_until(instant t);
    /// Runs to the end (the deadline at the latest).
    void run();
    bool finished() const;
    /// The visits and the summary as they stand (final once finished()).
    campaign_result result() const;
    const campaign_options& options() const;
    instant deadline() const;

private:
    struct impl;
    impl* impl_;  // owned; a plain pointer, not unique_ptr, for the host's compile time
};

/// Runs a whole campaign at once: `campaign{...}.run()`, then its result.
/// `dial` is borrowed for the call, so a dialer (or lambda) lvalue works.
///
///     caseflow::engine eng{caseflow::load_rules("rules")};
///     auto office = caseflow::load_calendars("rules/calendars").at("office");
///     caseflow::campaign_options o;
///     o.agents = {"A01", "A02"};
///     o.start = *caseflow::parse_instant("2026-10-12T09:00:00+08:00");
///     auto r = caseflow::run_campaign(eng, office, customers, o, caseflow::simulated_dialer());
///     // r.summary.reached, r.summary.complaints, ...
campaign_result run_campaign(engine& eng, const calendar& cal, const std::vector<customer_record>& customers,
                             const campaign_options& options, const dialer& dial);

/// A deterministic stand-in for real telephony (the CLI and the demo use it):
/// each (customer, attempt) gets a fixed answer from `seed` — about 3 in 4
/// calls reach the customer; of those about 85 % are satisfied, 10 %
/// dissatisfied, 5 % raise a complaint (1 in 5 of them major).
dialer simulated_dialer(std::uint64_t seed = 20261001);

/// The summary as text, several lines, instants in the calendar's zone.
std::string format_summary(const campaign_summary& s, const calendar& cal);

}  // namespace caseflow
