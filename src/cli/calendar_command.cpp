// `caseflow calendar add` and `caseflow calendar info`.
#include "cli/calendar_command.hpp"

#include <iostream>
#include <memory>
#include <string>

#include "caseflow/calendar.hpp"
#include "caseflow/error.hpp"
#include "caseflow/time.hpp"

namespace caseflow::cli {
namespace {

const char* const weekday_names[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                      "Thursday", "Friday", "Saturday"};

const char* weekday_of(date_t d) {
    // 1970-01-01 was a Thursday.
    long n = d.time_since_epoch().count();
    return weekday_names[((n % 7) + 7 + 4) % 7];
}

[[noreturn]] void fail(const std::string& message) {
    std::cerr << message << '\n';
    throw CLI::RuntimeError(2);
}

// Runs a command body, turning caseflow errors into exit code 2.
template <class F>
void guarded(F&& body) {
    try {
        body();
    } catch (const CLI::RuntimeError&) {
        throw;
    } catch (const caseflow::error& e) {
        std::cerr << e.what() << '\n';
        throw CLI::RuntimeError(2);
    }
}

std::string ranges_text(const std::vector<clock_range>& ranges) {
    if (ranges.empty()) return "none";
    std::string s;
    for (const auto& r : ranges) s += (s.empty() ? "" : ", ") + r.str();
    return s;
}

struct add_options {
    std::string calendar, from, duration;
};
struct info_options {
    std::string calendar, date;
};

void run_add(const add_options& o) {
    auto cal = calendar::load(o.calendar);
    auto from = parse_instant(o.from);
    if (!from)
        fail("invalid instant '" + o.from + "': expected ISO 8601 with an offset, e.g. 2026-09-30T16:00:00+08:00");
    auto d = parse_business_duration(o.duration);
    if (!d)
        fail("invalid duration '" + o.duration +
             "': expected e.g. 3 business_days, 24 business_hours, 90 business_minutes, P3D, 4h");
    instant due = cal.add(*from, *d);
    std::cout << format_instant(due, cal.utc_offset_minutes(due)) << '\n';
}

void run_info(const info_options& o) {
    auto cal = calendar::load(o.calendar);
    auto day = parse_date(o.date);
    if (!day) fail("invalid date '" + o.date + "': expected YYYY-MM-DD");
    auto info = cal.describe(*day);
    std::string why;
    switch (info.kind) {
        case day_kind::regular: why = "regular " + std::string(weekday_of(*day)) + " hours"; break;
        case day_kind::weekly_off: why = "weekend (no working hours on " + std::string(weekday_of(*day)) + ")"; break;
        case day_kind::holiday: why = "holiday (" + std::string(info.name) + ")"; break;
        case day_kind::makeup: why = "make-up working day (" + std::string(info.name) + ")"; break;
    }
    std::cout << format_date(*day) << ' ' << weekday_of(*day) << ": "
              << (info.working ? "working day" : "not a working day") << ": " << why << '\n'
              << "calendar: " << cal.name() << " (" << cal.zone_name() << ")\n"
              << "working hours: " << ranges_text(cal.working_ranges(*day)) << '\n';
}

}  // namespace

void add_calendar_commands(CLI::App& app) {
    auto* cal = app.add_subcommand("calendar", "Business-calendar arithmetic and day information");
    cal->require_subcommand(1);

    auto add_opts = std::make_shared<add_options>();
    auto* add = cal->add_subcommand("add", "Add a (business) duration to an instant and print the result");
    add->add_option("--calendar", add_opts->calendar, "Calendar file (rules/calendars/office.yaml)")->required();
    add->add_option("--from", add_opts->from, "Start instant, ISO 8601 (2026-09-30T16:00:00+08:00)")->required();
    add->add_option("--duration", add_opts->duration,
                    "Duration: '3 business_days', '24 business_hours', '90 business_minutes', P3D, 4h")
        ->required();
    add->callback([add_opts] { guarded([&] { run_add(*add_opts); }); });

    auto info_opts = std::make_shared<info_options>();
    auto* info = cal->add_subcommand("info", "Say whether a date is a working day, why, and its working hours");
    info->add_option("--calendar", info_opts->calendar, "Calendar file (rules/calendars/office.yaml)")->required();
    info->add_option("date", info_opts->date, "Local date, YYYY-MM-DD")->required();
    info->callback([info_opts] { guarded([&] { run_info(*info_opts); }); });
}

}  // namespace caseflow::cli
