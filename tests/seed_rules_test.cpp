// The seed departments' reference rule set (rules/*.yaml, issue 4): each
// workflow driven through the C++ API, pinning the seed's numbers on concrete
// 2026 dates.  Every expected instant is computed by hand in the comment next
// to it (office / studio calendars, Asia/Shanghai, quiet hours 12:00-14:00
// and 21:00-09:00), never taken from the program's output.
#define BOOST_TEST_MODULE seed_rules
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "caseflow/caseflow.hpp"

using namespace caseflow;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path root = CASEFLOW_SOURCE_DIR;

const rule_set& shipped() {
    static const rule_set rules = load_rules(root / "rules");
    return rules;
}

instant at(const char* text) {
    auto t = parse_instant(text);
    BOOST_TEST_REQUIRE(t.has_value(), text);
    return *t;
}

// An engine over the shipped rules that keeps every emitted action.
struct harness {
    engine e{shipped()};
    std::vector<action> actions;
    harness() {
        e.on_action([this](const action& a) { actions.push_back(a); });
    }
    // The actions of `kind` whose parameter `key` equals `value` ("" = any).
    std::vector<action> find(action_kind kind, std::string_view key = {}, std::string_view value = {}) const {
        std::vector<action> out;
        for (const auto& a : actions)
            if (a.kind == kind && (key.empty() || a.param(key) == value)) out.push_back(a);
        return out;
    }
    std::vector<instant> times(action_kind kind, std::string_view key = {}, std::string_view value = {}) const {
        std::vector<instant> out;
        for (const auto& a : find(kind, key, value)) out.push_back(a.at);
        return out;
    }
};

std::string show(instant t) { return format_instant(t, 480); }
std::string show(const std::vector<instant>& ts) {
    std::string s;
    for (auto t : ts) s += show(t) + " ";
    return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_reference_rule_set_loads) {
    const auto names = shipped().workflows();
    for (const char* w : {"inquiry", "complaint", "service_request", "outbound_call", "studio_booking",
                          "vehicle_maintenance", "manufacturer_complaint", "occasional_message"})
        BOOST_TEST((std::find(names.begin(), names.end(), w) != names.end()), w);
}

// Inquiry: reply to the customer within at most 3 days, else the department head.
BOOST_AUTO_TEST_CASE(inquiry_reply_due_in_three_days_escalates_to_department_head) {
    harness h;
    auto c = h.e.open("inquiry", {{"phone", "137"}, {"who", "Zhao Min"}, {"what", "warranty"}},
                      at("2026-10-14T09:50:00+08:00"), "I-1");
    // Routed Wed 14 Oct 10:00 -> due Wed + 3 calendar days = Sat 17 Oct 10:00.
    h.e.dispatch(c, "routed", {{"responsible", "Liu Qiang"}}, at("2026-10-14T10:00:00+08:00"));
    BOOST_TEST(h.find(action_kind::assign, "to", "Liu Qiang").size() == 1u);
    BOOST_TEST(show(h.e.attribute(c, "reply_due").as_instant()) == show(at("2026-10-17T10:00:00+08:00")));
    h.e.advance_to(at("2026-10-17T09:59:59+08:00"));
    BOOST_TEST(h.find(action_kind::escalate).empty());  // never early
    h.e.advance_to(at("2026-10-17T10:00:00+08:00"));
    auto esc = h.find(action_kind::escalate, "to", "department_head");
    BOOST_TEST_REQUIRE(esc.size() == 1u);
    BOOST_TEST(show(esc[0].at) == show(at("2026-10-17T10:00:00+08:00")));
    // Rejected answer: understanding sought, passed on to the company.
    h.e.dispatch(c, "answer_received", {{"answer", "90 days"}}, at("2026-10-18T09:30:00+08:00"));
    h.e.dispatch(c, "customer_rejected", {{"reason", "no"}}, at("2026-10-18T09:40:00+08:00"));
    BOOST_TEST(h.e.state(c) == "understanding");
    h.e.dispatch(c, "forward_requested", {}, at("2026-10-18T09:45:00+08:00"));
    BOOST_TEST(h.find(action_kind::notify, "to", "company").size() == 1u);
    BOOST_TEST(h.e.closed(c));
}

BOOST_AUTO_TEST_CASE(inquiry_answered_in_time_or_out_of_scope_is_never_escalated) {
    harness h;
    auto c = h.e.open("inquiry", {{"phone", "137"}}, at("2026-10-09T15:00:00+08:00"), "I-2");
    h.e.dispatch(c, "routed", {{"responsible", "Office"}}, at("2026-10-09T15:05:00+08:00"));  // due Mon 12 Oct 15:05
    h.e.dispatch(c, "answer_received", {{"answer", "yes"}}, at("2026-10-12T09:00:00+08:00"));
    h.e.dispatch(c, "replied", {}, at("2026-10-12T09:30:00+08:00"));
    auto o = h.e.open("inquiry", {{"phone", "138"}}, at("2026-10-12T10:00:00+08:00"), "I-3");
    h.e.dispatch(o, "out_of_scope", {{"reason", "not ours"}}, at("2026-10-12T10:01:00+08:00"));
    h.e.advance_to(at("2026-10-20T00:00:00+08:00"));
    BOOST_TEST(h.find(action_kind::escalate).empty());
    BOOST_TEST(h.e.closed(c));
    BOOST_TEST(h.e.closed(o));
    BOOST_TEST(h.e.attribute(o, "outcome").to_string() == "out_of_scope");
}

// Manufacturer complaint: report back within 2 days; missed -> supervisor, then
// the ladder's 4 business hours -> department manager.
BOOST_AUTO_TEST_CASE(manufacturer_complaint_report_back_within_two_days) {
    harness h;
    h.e.open("manufacturer_complaint", {{"reference", "FAW-1"}, {"route", "after_sales"}, {"owner", "A31"}},
                      at("2026-10-15T11:00:00+08:00"), "M-1");
    BOOST_TEST(h.find(action_kind::email, "to", "after-sales@dealer.example").size() == 1u);
    BOOST_TEST(h.find(action_kind::email, "to", "sales@dealer.example").empty());
    h.e.advance_to(at("2026-10-19T13:00:00+08:00"));
    auto sup = h.times(action_kind::escalate, "to", "supervisor");
    auto mgr = h.times(action_kind::escalate, "to", "department_manager");
    // Thu 15 Oct 11:00 + 2 days = Sat 17 Oct 11:00.
    BOOST_TEST_REQUIRE(sup.size() == 1u);
    BOOST_TEST(show(sup[0]) == show(at("2026-10-17T11:00:00+08:00")));
    // Sat is off: the 4 business hours run Mon 19 Oct 08:15 -> 12:15.
    BOOST_TEST_REQUIRE(mgr.size() == 1u);
    BOOST_TEST(show(mgr[0]) == show(at("2026-10-19T12:15:00+08:00")));
    // Follow-up reminders at 16:00 on working days only: Thu 15, Fri 16.
    auto follow = h.times(action_kind::notify, "to", "A31");
    BOOST_TEST(show(follow) == show(std::vector<instant>{at("2026-10-15T16:00:00+08:00"), at("2026-10-16T16:00:00+08:00")}));
}

BOOST_AUTO_TEST_CASE(manufacturer_complaint_reported_in_time_is_not_escalated) {
    harness h;
    auto c = h.e.open("manufacturer_complaint", {{"reference", "FAW-2"}, {"route", "sales"}}, at("2026-10-19T09:30:00+08:00"));
    h.e.dispatch(c, "handled", {{"result", "done"}}, at("2026-10-21T09:00:00+08:00"));
    h.e.dispatch(c, "reported", {}, at("2026-10-21T09:29:00+08:00"));  // due Wed 21 Oct 09:30
    h.e.advance_to(at("2026-10-23T00:00:00+08:00"));
    BOOST_TEST(h.find(action_kind::escalate).empty());
    BOOST_TEST(h.e.closed(c));
}

// Studio: +1 day after reservation, gown reminder 5 days before the shoot, +1
// day after the shoot, 10th day after viewing, 5th day after pickup, greeting on
// the wedding day; every call by the owner; same-day retries.
BOOST_AUTO_TEST_CASE(studio_booking_calls_at_the_seed_offsets) {
    harness h;
    auto c = h.e.open("studio_booking",
                      {{"ticket", "T-1"}, {"name", "Chen Jing"}, {"phone", "139"}, {"owner", "A11"},
                       {"sales", "Wu Na"}, {"stylist", "Tang Yi"}, {"photographer", "Deng Kai"},
                       {"gown_consultant", "Fang Li"}, {"reservation_date", "2026-09-12"}, {"wedding_date", "2026-11-08"}},
                      at("2026-09-12T11:00:00+08:00"), "B-1");
    h.e.advance_to(at("2026-09-13T10:00:00+08:00"));      // reservation Sat 12 Sep -> Sun 13 Sep 10:00
    h.e.contact_result(c, contact_outcome::reached, "A11", at("2026-09-13T10:01:00+08:00"));
    h.e.dispatch(c, "shoot_scheduled", {{"date", "2026-09-28"}}, at("2026-09-14T15:00:00+08:00"));
    h.e.advance_to(at("2026-09-28T18:00:00+08:00"));      // gown reminder Mon 28 Sep - 5 = Wed 23 Sep 10:00
    h.e.dispatch(c, "shot", {{"date", "2026-09-28"}}, at("2026-09-28T18:30:00+08:00"));
    h.e.advance_to(at("2026-09-29T10:00:00+08:00"));      // shot Mon 28 Sep -> Tue 29 Sep 10:00
    h.e.contact_result(c, contact_outcome::reached, "A11", at("2026-09-29T10:01:00+08:00"));
    h.e.dispatch(c, "proofs_viewed", {{"date", "2026-10-10"}}, at("2026-10-10T16:00:00+08:00"));
    h.e.advance_to(at("2026-10-20T10:00:00+08:00"));      // viewed Sat 10 Oct -> 10th day: Tue 20 Oct 10:00
    h.e.contact_result(c, contact_outcome::reached, "A11", at("2026-10-20T10:01:00+08:00"));
    h.e.dispatch(c, "picked_up", {{"date", "2026-10-31"}}, at("2026-10-31T15:00:00+08:00"));
    h.e.advance_to(at("2026-11-05T10:00:00+08:00"));      // picked up Sat 31 Oct -> 5th day: Thu 5 Nov 10:00
    h.e.contact_result(c, contact_outcome::reached, "A11", at("2026-11-05T10:01:00+08:00"));
    h.e.advance_to(at("2026-11-09T00:00:00+08:00"));      // wedding Sun 8 Nov -> greeting 09:00 that day

    auto calls = h.find(action_kind::call);
    std::vector<instant> call_times;
    for (const auto& a : calls) {
        call_times.push_back(a.at);
        BOOST_TEST(a.param("agent") == "A11");  // one agent owns every call
    }
    BOOST_TEST(show(call_times) == show(std::vector<instant>{at("2026-09-13T10:00:00+08:00"), at("2026-09-29T10:00:00+08:00"),
                                                   at("2026-10-20T10:00:00+08:00"), at("2026-11-05T10:00:00+08:00")}));
    // The call after the shoot asks about that stage's staff.
    BOOST_TEST_REQUIRE(calls.size() >= 2u);
    BOOST_TEST(calls[1].param("message").find("photographer Deng Kai") != std::string_view::npos);
    auto sms = h.find(action_kind::sms);
    BOOST_TEST_REQUIRE(sms.size() == 2u);
    BOOST_TEST(show(sms[0].at) == show(at("2026-09-23T10:00:00+08:00")));
    BOOST_TEST(sms[0].param("message").find("gown") != std::string_view::npos);
    BOOST_TEST(show(sms[1].at) == show(at("2026-11-08T09:00:00+08:00")));
    BOOST_TEST(sms[1].param("message").find("wedding day") != std::string_view::npos);
}

BOOST_AUTO_TEST_CASE(studio_unreached_customer_is_tried_again_the_same_working_day) {
    harness h;
    auto c = h.e.open("studio_booking", {{"ticket", "T-2"}, {"phone", "139"}, {"owner", "A12"}, {"reservation_date", "2026-09-12"}},
                      at("2026-09-12T11:00:00+08:00"), "B-2");
    h.e.advance_to(at("2026-09-13T10:00:00+08:00"));
    // Unreached at 10:02 -> again at the earliest one hour later: 11:02, Sunday
    // is a studio working day (09:00-18:00) and 11:02 is not quiet.
    h.e.contact_result(c, contact_outcome::unreached, "A12", at("2026-09-13T10:02:00+08:00"));
    h.e.advance_to(at("2026-09-13T11:02:00+08:00"));
    // Unreached again at 11:30 -> 12:30 falls in the midday rest -> 14:00.
    h.e.contact_result(c, contact_outcome::unreached, "A12", at("2026-09-13T11:30:00+08:00"));
    h.e.advance_to(at("2026-09-13T18:00:00+08:00"));
    auto t = h.times(action_kind::call, "agent", "A12");
    BOOST_TEST(show(t) == show(std::vector<instant>{at("2026-09-13T10:00:00+08:00"), at("2026-09-13T11:02:00+08:00"),
                                          at("2026-09-13T14:00:00+08:00")}));
}

BOOST_AUTO_TEST_CASE(studio_complaint_in_a_call_opens_a_linked_complaint) {
    harness h;
    auto c = h.e.open("studio_booking", {{"ticket", "T-3"}, {"name", "Yang Xue"}, {"phone", "139"}, {"owner", "A12"},
                                         {"reservation_date", "2026-10-08"}, {"shoot_date", "2026-10-17"}},
                      at("2026-10-08T14:00:00+08:00"), "B-3");
    BOOST_TEST(h.e.state(c) == "shoot_scheduled");
    h.e.dispatch(c, "complaint_raised", {{"text", "late"}, {"major", true}}, at("2026-10-18T10:05:00+08:00"));
    auto linked = h.e.find("B-3/1");
    BOOST_TEST(h.e.workflow(linked) == "complaint");
    BOOST_TEST(h.e.attribute(linked, "severity").to_string() == "major");
    BOOST_TEST(h.find(action_kind::escalate, "to", "department_manager").size() == 1u);
    BOOST_TEST(h.e.attribute(c, "complaints").to_string() == "1");
}

// Outbound protocol: not accepted -> another time (next working day 10:00), another agent.
BOOST_AUTO_TEST_CASE(outbound_call_not_accepted_calls_again_with_another_agent) {
    harness h;
    auto c = h.e.open("outbound_call", {{"phone", "135"}, {"agent", "A07"}, {"pool", "A07,A08,A09"}},
                      at("2026-10-16T14:30:00+08:00"), "O-1");
    h.e.contact_result(c, contact_outcome::reached, "A07", at("2026-10-16T14:31:00+08:00"));
    h.e.dispatch(c, "identity_confirmed", {}, at("2026-10-16T14:31:30+08:00"));
    h.e.dispatch(c, "convenient", {}, at("2026-10-16T14:32:00+08:00"));
    BOOST_TEST(!h.e.dispatch(c, "not_accepted", {{"next_agent", "A07"}}, at("2026-10-16T14:35:00+08:00")));
    BOOST_TEST(bool(h.e.dispatch(c, "not_accepted", {{"next_agent", "A08"}}, at("2026-10-16T14:35:10+08:00"))));
    h.e.advance_to(at("2026-10-19T12:00:00+08:00"));
    // Fri 16 Oct -> next working day Mon 19 Oct (Sat, Sun off) at 10:00, by A08.
    auto again = h.times(action_kind::call, "agent", "A08");
    BOOST_TEST(show(again) == show(std::vector<instant>{at("2026-10-19T10:00:00+08:00")}));
    // The talk began 14:31:00: 3-minute reminder at 14:34:00; hung up before 5 minutes.
    BOOST_TEST(show(h.times(action_kind::notify, "to", "A07")) == show(std::vector<instant>{at("2026-10-16T14:34:00+08:00")}));
}

BOOST_AUTO_TEST_CASE(outbound_call_unreached_retry_goes_to_the_next_agent_of_the_pool) {
    harness h;
    auto c = h.e.open("outbound_call", {{"phone", "135"}, {"agent", "A07"}, {"pool", "A07,A08,A09"}},
                      at("2026-10-13T10:00:00+08:00"), "O-2");
    // Unreached 10:05 -> same working day, one hour later: 11:05, by A08 (after A07).
    h.e.contact_result(c, contact_outcome::unreached, "A07", at("2026-10-13T10:05:00+08:00"));
    h.e.advance_to(at("2026-10-13T11:05:00+08:00"));
    auto retry = h.times(action_kind::call, "agent", "A08");
    BOOST_TEST(show(retry) == show(std::vector<instant>{at("2026-10-13T11:05:00+08:00")}));
    // An unknown new need: a linked inquiry for the supervisor.
    h.e.contact_result(c, contact_outcome::reached, "A08", at("2026-10-13T11:06:00+08:00"));
    h.e.dispatch(c, "new_need", {{"need", "trade-in"}}, at("2026-10-13T11:07:00+08:00"));
    auto linked = h.e.find("O-2/1");
    BOOST_TEST(h.e.workflow(linked) == "inquiry");
    BOOST_TEST(h.e.state(linked) == "awaiting_answer");
    BOOST_TEST(h.find(action_kind::assign, "to", "supervisor").size() == 1u);
}

// Vehicle maintenance: due by date or by mileage, whichever comes first.
BOOST_AUTO_TEST_CASE(vehicle_service_due_by_mileage_before_the_date) {
    harness h;
    // Bought Wed 18 Mar 2026: first service due Mar 18 + 90 days = Tue 16 Jun, or 3000 km.
    auto c = h.e.open("vehicle_maintenance", {{"phone", "133"}, {"agent", "A21"}, {"plate", "P-1"}, {"purchase_date", "2026-03-18"}},
                      at("2026-03-18T11:00:00+08:00"), "V-1");
    BOOST_TEST(h.e.attribute(c, "next_service_date").to_string() == "2026-06-16");
    h.e.dispatch(c, "mileage_reported", {{"km", 2999}}, at("2026-05-01T10:00:00+08:00"));
    BOOST_TEST(h.e.state(c) == "waiting");
    h.e.dispatch(c, "mileage_reported", {{"km", 3000}}, at("2026-05-20T15:00:00+08:00"));
    BOOST_TEST(h.e.state(c) == "due");
    auto calls = h.find(action_kind::call, "reason", "book the first service");
    BOOST_TEST_REQUIRE(calls.size() == 1u);
    BOOST_TEST(show(calls[0].at) == show(at("2026-05-20T15:00:00+08:00")));
    // The reminder 7 days before the date (Tue 9 Jun) never goes: the case left `waiting`.
    h.e.advance_to(at("2026-06-10T00:00:00+08:00"));
    BOOST_TEST(h.find(action_kind::sms).empty());
}

BOOST_AUTO_TEST_CASE(vehicle_service_due_by_date_with_first_service_reminder) {
    harness h;
    auto c = h.e.open("vehicle_maintenance", {{"phone", "133"}, {"agent", "A21"}, {"plate", "P-2"}, {"purchase_date", "2026-03-18"}},
                      at("2026-03-18T11:00:00+08:00"), "V-2");
    h.e.advance_to(at("2026-06-16T10:00:00+08:00"));
    // Text 7 days before Tue 16 Jun = Tue 9 Jun 10:00, first-service wording; call on the day at 10:00.
    auto sms = h.find(action_kind::sms);
    BOOST_TEST_REQUIRE(sms.size() == 1u);
    BOOST_TEST(show(sms[0].at) == show(at("2026-06-09T10:00:00+08:00")));
    BOOST_TEST(sms[0].param("message").find("first") != std::string_view::npos);
    BOOST_TEST(show(h.times(action_kind::call)) == show(std::vector<instant>{at("2026-06-16T10:00:00+08:00")}));
    // Serviced Thu 18 Jun: return visit the next working day at 10:00; Fri 19 Jun
    // is the Dragon Boat Festival (19-21 Jun), so Mon 22 Jun 10:00.
    h.e.dispatch(c, "serviced", {{"date", "2026-06-18"}, {"km", 2950}, {"adviser", "SA03"}}, at("2026-06-18T11:00:00+08:00"));
    h.e.advance_to(at("2026-06-23T00:00:00+08:00"));
    auto visit = h.times(action_kind::call, "script", "after_service_visit");
    BOOST_TEST(show(visit) == show(std::vector<instant>{at("2026-06-22T10:00:00+08:00")}));
    // Next: Jun 18 + 180 days = 15 Dec 2026 (12 + 31 + 31 + 30 + 31 + 30 + 15).
    BOOST_TEST(h.e.attribute(c, "next_service_date").to_string() == "2026-12-15");
}

// Occasional messages: never during quiet hours.
BOOST_AUTO_TEST_CASE(occasional_messages_wait_out_quiet_hours) {
    harness h;
    auto c = h.e.open("occasional_message", {{"phone", "133"}, {"customer", "Jiang Tao"}, {"plate_last_digit", 8},
                                             {"next_birthday", "2026-11-20"}},
                      at("2026-09-01T10:00:00+08:00"), "N-1");
    h.e.dispatch(c, "extreme_weather", {{"warning", "typhoon"}}, at("2026-10-12T22:30:00+08:00"));
    h.e.advance_to(at("2026-10-13T08:59:59+08:00"));
    BOOST_TEST(h.find(action_kind::sms).empty());  // 22:30 is quiet: held back
    h.e.advance_to(at("2026-10-13T09:00:00+08:00"));
    auto sms = h.find(action_kind::sms);
    BOOST_TEST_REQUIRE(sms.size() == 1u);
    BOOST_TEST(show(sms[0].at) == show(at("2026-10-13T09:00:00+08:00")));  // quiet period ends 09:00
    BOOST_TEST(sms[0].param("deferred_from") == "2026-10-12T22:30:00+08:00");
    // Restriction notice at 12:30 (midday rest) -> 14:00; other digits: no text.
    h.e.dispatch(c, "restriction_day", {{"date", "2026-10-14"}, {"digit_a", 3}, {"digit_b", 8}}, at("2026-10-13T12:30:00+08:00"));
    h.e.dispatch(c, "restriction_day", {{"date", "2026-10-15"}, {"digit_a", 1}, {"digit_b", 6}}, at("2026-10-13T12:31:00+08:00"));
    // Birthday Fri 20 Nov 2026 at 10:00; then moved on 365 days to 20 Nov 2027.
    h.e.advance_to(at("2026-11-21T00:00:00+08:00"));
    auto t = h.times(action_kind::sms);
    BOOST_TEST(show(t) == show(std::vector<instant>{at("2026-10-13T09:00:00+08:00"), at("2026-10-13T14:00:00+08:00"),
                                          at("2026-11-20T10:00:00+08:00")}));
    BOOST_TEST(h.e.attribute(c, "next_birthday").to_string() == "2027-11-20");
}

// Service request: the department's promised feedback date is kept or escalated.
BOOST_AUTO_TEST_CASE(service_request_missed_feedback_escalates) {
    harness h;
    auto c = h.e.open("service_request", {{"phone", "136"}, {"agent", "A04"}}, at("2026-10-13T09:40:00+08:00"));
    h.e.dispatch(c, "forwarded", {{"department", "installation"}, {"feedback_due", at("2026-10-15T17:00:00+08:00")}},
                 at("2026-10-13T10:00:00+08:00"));
    h.e.advance_to(at("2026-10-16T00:00:00+08:00"));
    BOOST_TEST(show(h.times(action_kind::escalate, "to", "department_head")) == show(std::vector<instant>{at("2026-10-15T17:00:00+08:00")}));
}
