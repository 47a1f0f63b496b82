// Reports: the 18:00 digest on a concrete day (major complaints, urgent open
// problems per supervisor, the window between two digests) and weekly /
// monthly statistics, on a live engine and on hand-made SLA records.
#define BOOST_TEST_MODULE report
#include <boost/test/unit_test.hpp>

#include "caseflow/caseflow.hpp"
#include "caseflow/report.hpp"

using namespace caseflow;

namespace {

const std::string root = CASEFLOW_SOURCE_DIR;
instant at(const char* s) { return *parse_instant(s); }
date_t day(const char* s) { return *parse_date(s); }

struct fixture {
    rule_set rules = load_rules(root + "/rules");
    calendar office = load_calendars(root + "/rules/calendars").at("office");
    engine eng{rules};
    report_options o;
    fixture() {
        o.cal = &office;
        o.supervisor_of_workflow["complaint"] = "Zhou";
    }
    case_id complaint(const char* when, const char* severity, const char* name) {
        return eng.open("complaint", {{"severity", value::enumeration(severity)}, {"phone", "138"}, {"customer", name}},
                        at(when), name);
    }
};

history_entry entry(const char* when, const char* id, record_kind k, std::string subject,
                    std::vector<std::pair<std::string, std::string>> fields = {}) {
    history_entry e;
    e.at = at(when);
    e.case_id = id;
    e.kind = k;
    e.subject = std::move(subject);
    e.fields = std::move(fields);
    return e;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(digest_on_a_concrete_day, fixture) {
    // Before the window (previous day 18:00): a major complaint, still open on the 9th.
    case_id old_major = complaint("2026-10-08T10:00:00+08:00", "major", "K-OLD");
    eng.dispatch(old_major, "facts_established", {{"agent", "A07"}}, at("2026-10-08T10:05:00+08:00"));
    // In the window: a major and a normal complaint on the 9th; one more after 18:00.
    case_id major = complaint("2026-10-09T09:30:00+08:00", "major", "K-NEW");
    complaint("2026-10-09T11:00:00+08:00", "normal", "K-NORMAL");
    complaint("2026-10-09T18:30:00+08:00", "major", "K-LATE");

    auto d = make_daily_digest(eng, day("2026-10-09"), o);
    BOOST_TEST(format_instant(d.from) == "2026-10-08T10:00:00Z");
    BOOST_TEST(format_instant(d.to) == "2026-10-09T10:00:00Z");
    BOOST_TEST(d.opened == 2u);
    BOOST_TEST(d.open_at_cutoff == 3u);
    BOOST_REQUIRE_EQUAL(d.supervisors.size(), 1u);
    const auto& s = d.supervisors[0];
    BOOST_TEST(s.supervisor == "Zhou");
    BOOST_REQUIRE_EQUAL(s.major_complaints.size(), 1u);
    BOOST_TEST(s.major_complaints[0].case_id == "K-NEW");
    BOOST_TEST(s.major_complaints[0].reason == "major complaint");
    BOOST_REQUIRE_EQUAL(s.urgent.size(), 1u);
    BOOST_TEST(s.urgent[0].case_id == "K-OLD");
    BOOST_TEST(s.urgent[0].owner == "A07");
    BOOST_TEST(s.urgent[0].state == "investigating");
    BOOST_TEST(s.urgent[0].reason == "escalated to department_manager: major complaint");
    (void)major;

    std::string text = format_digest(d, o);
    BOOST_TEST(text.find("Daily digest 2026-10-09 18:00") == 0u);
    BOOST_TEST(text.find("K-NEW") != std::string::npos);
    BOOST_TEST(text.find("K-LATE") == std::string::npos);  // belongs to the 10th
    std::string json = digest_json(d, o);
    BOOST_TEST(json.find("\"day\":\"2026-10-09\"") != std::string::npos);

    auto next = make_daily_digest(eng, day("2026-10-10"), o);
    BOOST_TEST(next.opened == 1u);
    BOOST_REQUIRE_EQUAL(next.supervisors.size(), 1u);
    BOOST_TEST(next.supervisors[0].major_complaints[0].case_id == "K-LATE");
}

BOOST_FIXTURE_TEST_CASE(quiet_day_has_nothing_to_report, fixture) {
    complaint("2026-10-09T09:30:00+08:00", "minor", "K-1");
    auto d = make_daily_digest(eng, day("2026-10-09"), o);
    BOOST_TEST(d.supervisors.empty());
    BOOST_TEST(format_digest(d, o).find("nothing to report") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(weekly_and_monthly_stats_from_an_engine, fixture) {
    auto work = [&](case_id c, const char* agent, const char* t0) {
        eng.dispatch(c, "facts_established", {{"agent", agent}}, at(t0));
        eng.dispatch(c, "solved", {}, at(t0));
        eng.dispatch(c, "replied", {}, at(t0));
        eng.dispatch(c, "recorded", {}, at(t0));
    };
    auto close = [&](case_id c, const char* t) { eng.dispatch(c, "return_visit_done", {{"satisfied", true}}, at(t)); };
    case_id a = complaint("2026-10-12T09:00:00+08:00", "normal", "K-A");  // week 42, closed in week 42
    work(a, "A01", "2026-10-12T10:00:00+08:00");
    case_id b = complaint("2026-10-13T09:00:00+08:00", "major", "K-B");   // week 42, closed in week 43
    work(b, "A02", "2026-10-13T10:00:00+08:00");
    close(a, "2026-10-14T10:00:00+08:00");
    close(b, "2026-10-20T10:00:00+08:00");
    case_id c = complaint("2026-10-21T09:00:00+08:00", "normal", "K-C");  // week 43, open
    eng.dispatch(c, "facts_established", {{"agent", "A01"}}, at("2026-10-21T10:00:00+08:00"));

    auto cases = cases_of(eng);
    auto w42 = weekly_stats(cases, day("2026-10-15"), o);
    BOOST_TEST(w42.label == "week 2026-W42");
    BOOST_TEST(format_instant(w42.from) == "2026-10-11T16:00:00Z");
    BOOST_TEST(w42.opened == 2u);
    BOOST_TEST(w42.closed == 1u);
    BOOST_TEST(w42.escalations == 1u);  // K-B is major
    BOOST_REQUIRE_EQUAL(w42.agents.size(), 2u);
    BOOST_TEST(w42.agents[0].agent == "A01");
    BOOST_TEST(w42.agents[0].opened == 1u);
    BOOST_TEST(w42.agents[0].closed == 1u);
    BOOST_TEST(w42.agents[1].agent == "A02");
    BOOST_TEST(w42.agents[1].escalations == 1u);
    BOOST_REQUIRE_EQUAL(w42.workflows.size(), 1u);
    BOOST_TEST(w42.workflows[0].open_at_end == 1u);

    auto w43 = weekly_stats(cases, day("2026-10-19"), o);
    BOOST_TEST(w43.opened == 1u);
    BOOST_TEST(w43.closed == 1u);

    auto m = monthly_stats(cases, day("2026-10-31"), o);
    BOOST_TEST(m.label == "month 2026-10");
    BOOST_TEST(m.opened == 3u);
    BOOST_TEST(m.closed == 2u);
    BOOST_TEST(m.escalations == 1u);
    BOOST_TEST(format_stats(m, o).find("month 2026-10") != std::string::npos);
    BOOST_TEST(stats_json(m, o).find("\"opened\":3") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sla_records_are_counted) {
    // Hand-made SLA records in the engine's documented form `<sla> <change>`.
    std::vector<history_entry> t = {
        entry("2026-10-12T09:00:00+08:00", "X-1", record_kind::opened, "complaint", {{"owner", "A01"}, {"severity", "major"}}),
        entry("2026-10-12T09:00:00+08:00", "X-1", record_kind::sla, "resolution started"),
        entry("2026-10-13T09:00:00+08:00", "X-1", record_kind::sla, "resolution warned"),
        entry("2026-10-15T09:00:00+08:00", "X-1", record_kind::sla, "resolution breached"),
        entry("2026-10-15T09:00:00+08:00", "X-1", record_kind::action, "escalate", {{"to", "supervisor"}, {"reason", "late"}}),
        entry("2026-10-12T10:00:00+08:00", "X-2", record_kind::opened, "complaint", {{"owner", "A02"}}),
        entry("2026-10-12T10:00:00+08:00", "X-2", record_kind::sla, "resolution started"),
        entry("2026-10-13T10:00:00+08:00", "X-2", record_kind::transition, "received -> closed"),
        entry("2026-10-13T10:00:00+08:00", "X-2", record_kind::sla, "resolution met"),
        entry("2026-10-13T10:00:00+08:00", "X-2", record_kind::closed, "closed"),
        entry("2026-10-14T10:00:00+08:00", "X-3", record_kind::opened, "complaint", {{"owner", "A02"}}),
        entry("2026-10-14T10:00:00+08:00", "X-3", record_kind::sla, "resolution started"),
    };
    auto cases = cases_of(t);
    BOOST_REQUIRE_EQUAL(cases.size(), 3u);
    BOOST_TEST(cases[1].closed);
    BOOST_TEST(cases[1].state == "closed");
    report_options o;  // no calendar: UTC+8
    auto w = weekly_stats(cases, day("2026-10-12"), o);
    BOOST_TEST(w.sla_met == 1u);
    BOOST_TEST(w.sla_breached == 1u);
    BOOST_REQUIRE_EQUAL(w.slas.size(), 1u);
    BOOST_TEST(w.slas[0].workflow == "complaint");
    BOOST_TEST(w.slas[0].sla == "resolution");
    BOOST_TEST(w.slas[0].started == 3u);
    BOOST_TEST(w.slas[0].warned == 1u);
    BOOST_TEST(w.slas[0].running == 1u);
    BOOST_TEST(w.agents[0].agent == "A01");
    BOOST_TEST(w.agents[0].sla_breached == 1u);
    BOOST_TEST(w.agents[1].sla_met == 1u);

    auto d = make_daily_digest(cases, day("2026-10-15"), o);
    BOOST_REQUIRE_EQUAL(d.supervisors.size(), 1u);
    BOOST_REQUIRE_EQUAL(d.supervisors[0].urgent.size(), 1u);
    BOOST_TEST(d.supervisors[0].urgent[0].reason == "SLA resolution breached; escalated to supervisor: late");
    BOOST_TEST(format_stats(w, o).find("complaint / resolution") != std::string::npos);
}
