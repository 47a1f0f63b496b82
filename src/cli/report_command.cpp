// `caseflow report`: the 18:00 daily digest and weekly / monthly statistics,
// over replayed case history files or, without files, over the demo month.
#include <iostream>

#include "caseflow/caseflow.hpp"
#include "caseflow/report.hpp"
#include "cli/commands.hpp"
#include "cli/demo.hpp"

namespace caseflow::cli {

namespace {

struct report_args {
    std::vector<std::string> files;
    std::string rules = "rules", day, kind = "all", format = "text";
    std::uint32_t seed = 20261001;
};

int run_report(const report_args& a) {
    try {
        std::vector<case_view> cases;
        calendar office = rules_calendar(a.rules, "office");
        report_options o;
        o.cal = &office;
        date_t day{};
        if (a.files.empty()) {
            demo_config cfg;
            cfg.rules_dir = a.rules;
            cfg.seed = a.seed;
            demo_run r = simulate_month(cfg, nullptr);
            cases = cases_of(*r.eng);
            o.supervisor_of_workflow = r.options.supervisor_of_workflow;
            day = r.last;
        } else {
            // Each file is its own world: case ids may repeat across files.
            instant last{};
            for (const auto& f : a.files) {
                replay_result r = replay_file(f);
                for (auto& c : cases_of(r.timeline)) cases.push_back(std::move(c));
                for (const auto& e : r.timeline) last = std::max(last, e.at);
            }
            day = office.local_date(last);
        }
        if (!a.day.empty()) {
            auto d = parse_date(a.day);
            if (!d) {
                std::cerr << "--day: expected a date YYYY-MM-DD, found '" << a.day << "'\n";
                return 2;
            }
            day = *d;
        }
        bool json = a.format == "json";
        if (a.kind == "all" || a.kind == "digest") {
            auto d = make_daily_digest(cases, day, o);
            std::cout << (json ? digest_json(d, o) + "\n" : format_digest(d, o) + "\n");
        }
        if (a.kind == "all" || a.kind == "week") {
            auto s = weekly_stats(cases, day, o);
            std::cout << (json ? stats_json(s, o) + "\n" : format_stats(s, o) + "\n");
        }
        if (a.kind == "all" || a.kind == "month") {
            auto s = monthly_stats(cases, day, o);
            std::cout << (json ? stats_json(s, o) + "\n" : format_stats(s, o));
        }
        return 0;
    } catch (const error& e) {  // rule_errors' what() lists every error, one a line
        std::cerr << e.what() << '\n';
        return 2;
    }
}

}  // namespace

void add_report_command(CLI::App& app, int& status) {
    auto* cmd = app.add_subcommand(
        "report", "Daily 18:00 digest and weekly / monthly statistics over case history files (or the demo month)");
    static report_args a;
    cmd->add_option("FILE", a.files, "case history files (none: run the demo month and report on it)");
    cmd->add_option("--rules", a.rules, "rule directory (its calendars/office.yaml sets days and 18:00)")->capture_default_str();
    cmd->add_option("--day", a.day, "the digest's day and the week / month to report (default: the last day seen)");
    cmd->add_option("--kind", a.kind, "digest, week, month or all")
        ->check(CLI::IsMember({"digest", "week", "month", "all"}))
        ->capture_default_str();
    cmd->add_option("--seed", a.seed, "seed of the demo month (without files)")->capture_default_str();
    cmd->add_option("--format", a.format, "text or json (one object per report, one per line)")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->callback([&status] { status = run_report(a); });
}

}  // namespace caseflow::cli
