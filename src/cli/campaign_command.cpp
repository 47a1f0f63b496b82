// `caseflow campaign`: runs a return-visit campaign over a customer CSV with
// simulated calls (a fixed seed, so the run is reproducible) and prints every
// visit and the summary.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "caseflow/campaign.hpp"
#include "caseflow/caseflow.hpp"
#include "cli/commands.hpp"
#include "caseflow/detail/json.hpp"

namespace caseflow::cli {

using detail::json_quote;

/// Calendar `name` of `<rules>/calendars` (return_visit.yaml runs on `office`).
calendar rules_calendar(const std::string& rules_dir, const std::string& name) {
    calendar_set cals = load_calendars((std::filesystem::path(rules_dir) / "calendars").string());
    return cals.at(name);
}

namespace {

std::string campaign_json(const campaign_result& r, const calendar& cal) {
    const campaign_summary& s = r.summary;
    auto local = [&](instant t) { return json_quote(format_instant(t, cal.utc_offset_minutes(t))); };
    auto n = [](std::size_t v) { return std::to_string(v); };
    std::ostringstream out;
    out << "{\"campaign\":" << json_quote(s.name) << ",\"start\":" << local(s.start) << ",\"deadline\":" << local(s.deadline)
        << ",\"finished_at\":" << local(s.finished_at) << ",\"finished_in_time\":" << (s.finished_in_time ? "true" : "false")
        << ",\"selected\":" << n(s.selected) << ",\"members\":" << n(s.members) << ",\"calls\":" << n(s.calls)
        << ",\"reached\":" << n(s.reached) << ",\"satisfied\":" << n(s.satisfied) << ",\"dissatisfied\":" << n(s.dissatisfied)
        << ",\"complaints\":" << n(s.complaints) << ",\"unreached\":" << n(s.unreached) << ",\"not_visited\":" << n(s.not_visited)
        << ",\"members_visited\":" << n(s.members_visited) << ",\"escalations\":" << n(s.escalations) << ",\"agents\":[";
    for (std::size_t i = 0; i < s.agents.size(); ++i)
        out << (i ? "," : "") << "{\"agent\":" << json_quote(s.agents[i].agent) << ",\"assigned\":" << n(s.agents[i].assigned)
            << ",\"members\":" << n(s.agents[i].members) << ",\"calls\":" << n(s.agents[i].calls)
            << ",\"reached\":" << n(s.agents[i].reached) << "}";
    out << "],\"visits\":[";
    for (std::size_t i = 0; i < r.visits.size(); ++i) {
        const campaign_visit& v = r.visits[i];
        out << (i ? "," : "") << "{\"customer\":" << json_quote(v.customer) << ",\"case\":" << json_quote(v.case_name)
            << ",\"agent\":" << json_quote(v.agent) << ",\"member\":" << (v.member ? "true" : "false")
            << ",\"attempts\":" << v.attempts << ",\"outcome\":" << json_quote(v.outcome) << ",\"state\":" << json_quote(v.state);
        if (!v.complaint_case.empty()) out << ",\"complaint_case\":" << json_quote(v.complaint_case);
        out << "}";
    }
    out << "]}";
    return out.str();
}

int run(const std::string& rules_dir, const std::string& customers_file, const std::string& agents, const std::string& start,
        const std::string& due, const std::string& name, std::uint64_t seed, bool json, bool print_history) {
    try {
        rule_set rules = load_rules(rules_dir);
        campaign_options o;
        o.name = name;
        std::stringstream ss(agents);
        for (std::string a; std::getline(ss, a, ',');)
            if (!a.empty()) o.agents.push_back(a);
        auto t = parse_instant(start);
        if (!t) {
            std::cerr << "--start: expected an instant like 2026-10-12T09:00:00+08:00, found '" << start << "'\n";
            return 2;
        }
        o.start = *t;
        if (!due.empty()) {
            auto d = parse_date(due);
            if (!d) {
                std::cerr << "--due: expected a date YYYY-MM-DD, found '" << due << "'\n";
                return 2;
            }
            o.due_on = *d;
        }
        calendar cal = rules_calendar(rules_dir, "office");
        auto customers = read_customers_csv(customers_file);
        engine eng{rules};
        campaign_result r = run_campaign(eng, cal, customers, o, simulated_dialer(seed));
        if (print_history)
            for (const auto& e : eng.timeline()) std::cout << e.to_string() << '\n';
        if (json) {
            std::cout << campaign_json(r, cal) << '\n';
            return 0;
        }
        std::cout << "customer  member  agent  attempts  outcome       case\n";
        for (const auto& v : r.visits) {
            std::string line = v.customer;
            line.resize(std::max<std::size_t>(line.size() + 1, 10), ' ');
            line += v.member ? "yes     " : "no      ";
            line += v.agent;
            line.resize(std::max<std::size_t>(line.size() + 1, 25), ' ');
            line += std::to_string(v.attempts);
            line.resize(std::max<std::size_t>(line.size() + 1, 35), ' ');
            line += v.outcome;
            line.resize(std::max<std::size_t>(line.size() + 1, 49), ' ');
            line += v.case_name + (v.complaint_case.empty() ? "" : " -> " + v.complaint_case);
            std::cout << line << '\n';
        }
        std::cout << '\n' << format_summary(r.summary, cal);
        return 0;
    } catch (const error& e) {  // rule_errors' what() lists every error, one a line
        std::cerr << e.what() << '\n';
        return 2;
    }
}

}  // namespace

void add_campaign_command(CLI::App& app, int& status) {
    auto* cmd = app.add_subcommand("campaign", "Run a return-visit campaign over a customer CSV (simulated calls, fixed seed)");
    struct opts {
        std::string rules = "rules", customers, agents, start, due, name = "RV", format = "text";
        std::uint64_t seed = 20261001;
        bool print = false;
    };
    static opts o;
    cmd->add_option("--rules", o.rules, "rule directory (with return_visit.yaml and calendars/)")->capture_default_str();
    cmd->add_option("--customers", o.customers, "customer CSV: id,name,phone,member,due,case")->required();
    cmd->add_option("--agents", o.agents, "agents on duty, comma-separated: A01,A02")->required();
    cmd->add_option("--start", o.start, "campaign start, e.g. 2026-10-12T09:00:00+08:00")->required();
    cmd->add_option("--due", o.due, "select customers due on or before this date (default: the start's date)");
    cmd->add_option("--name", o.name, "campaign id (cases are named <name>-<customer>)")->capture_default_str();
    cmd->add_option("--seed", o.seed, "seed of the simulated call results")->capture_default_str();
    cmd->add_flag("--print", o.print, "print the engine's timeline first");
    cmd->add_option("--format", o.format, "text or json")->check(CLI::IsMember({"text", "json"}));
    cmd->callback([&status] {
        status = run(o.rules, o.customers, o.agents, o.start, o.due, o.name, o.seed, o.format == "json", o.print);
    });
}

}  // namespace caseflow::cli
