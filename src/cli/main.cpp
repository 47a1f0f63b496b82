// `caseflow`: the analysts' and test harnesses' tool.  Exit codes: 0 success,
// 1 an expectation failed, 2 invalid input (rule errors, malformed files).
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "caseflow/caseflow.hpp"
#include "cli/commands.hpp"
#include "caseflow/detail/json.hpp"

namespace {

using namespace caseflow;

int check(const std::string& dir) {
    try {
        rule_set rules = load_rules(dir);
        std::cout << "ok: " << rules.workflows().size() << " workflow(s) in " << rules.files().size() << " file(s):";
        for (const auto& w : rules.workflows()) std::cout << ' ' << w;
        std::cout << '\n';
        return 0;
    } catch (const rule_errors& e) {
        for (const auto& err : e.errors()) std::cerr << err.what() << '\n';
        std::cerr << e.errors().size() << " error(s); nothing was loaded\n";
        return 2;
    } catch (const rule_error& e) {
        std::cerr << e.what() << "\n1 error(s); nothing was loaded\n";
        return 2;
    }
}

std::string entry_json(const std::string& file, const history_entry& e) {
    std::string s = "{\"file\":" + detail::json_quote(file) + ",\"at\":" + detail::json_quote(format_instant(e.at)) +
                    ",\"case\":" + detail::json_quote(e.case_id) + ",\"kind\":" + detail::json_quote(std::string(to_string(e.kind))) +
                    ",\"subject\":" + detail::json_quote(e.subject) + ",\"fields\":{";
    for (std::size_t i = 0; i < e.fields.size(); ++i)
        s += (i ? "," : "") + detail::json_quote(e.fields[i].first) + ":" + detail::json_quote(e.fields[i].second);
    s += "}";
    if (e.origin.line > 0) s += ",\"origin\":" + detail::json_quote(e.origin.str());
    return s + "}";
}

}  // namespace

namespace caseflow::cli {

using detail::json_quote;

int replay(const std::vector<std::string>& files, const std::string& rules_dir, bool print, bool json) {
    std::optional<rule_set> rules;
    int status = 0, passed = 0, failed = 0;
    try {
        if (!rules_dir.empty()) rules = load_rules(rules_dir);
    } catch (const rule_error& e) {
        std::cerr << e.what() << '\n';
        return 2;
    }
    for (const auto& file : files) {
        try {
            const rule_set* use = rules ? &*rules : nullptr;
            replay_result r = replay_file(file, use);
            if (print) {
                for (const auto& e : r.timeline) std::cout << (json ? entry_json(file, e) : e.to_string()) << '\n';
            }
            if (json) {
                std::string fails = "[";
                for (std::size_t i = 0; i < r.failures.size(); ++i) fails += (i ? "," : "") + json_quote(r.failures[i]);
                std::cout << "{\"file\":" << json_quote(file) << ",\"result\":" << json_quote(r.passed ? "pass" : "fail")
                          << ",\"failures\":" << fails << "]}\n";
            } else if (r.passed) {
                std::cout << "PASS " << file << '\n';
            } else {
                std::cout << "FAIL " << file << '\n';
                for (const auto& f : r.failures) std::cout << "  " << f << '\n';
            }
            (r.passed ? passed : failed)++;
            if (!r.passed && status == 0) status = 1;
        } catch (const error& e) {
            if (json)
                std::cout << "{\"file\":" << json_quote(file) << ",\"result\":\"error\",\"error\":" << json_quote(e.what()) << "}\n";
            else
                std::cerr << "ERROR " << e.what() << '\n';
            status = 2;
            ++failed;
        }
    }
    if (!json) std::cout << passed << " passed, " << failed << " failed\n";
    return status;
}

}  // namespace caseflow::cli

int main(int argc, char** argv) {
    CLI::App app{"caseflow: rules and workflow engine for customer-service departments"};
    app.require_subcommand(1);
    int status = 0;

    auto* check_cmd = app.add_subcommand("check", "Load a rule directory or file and report every error (exit 2 on errors)");
    std::string check_dir;
    check_cmd->add_option("RULES", check_dir, "rule directory or file")->required();
    check_cmd->callback([&] { status = check(check_dir); });

    auto* replay_cmd = app.add_subcommand("replay", "Replay case history files and check their expectations");
    std::vector<std::string> files;
    std::string rules_dir, format = "text";
    bool print = false;
    replay_cmd->add_option("FILE", files, "case history files")->required();
    replay_cmd->add_option("--rules", rules_dir, "use this rule directory instead of each file's 'rules:'");
    replay_cmd->add_flag("--print", print, "print each replay's timeline");
    replay_cmd->add_option("--format", format, "text or json (JSON lines)")->check(CLI::IsMember({"text", "json"}));
    replay_cmd->callback([&] { status = caseflow::cli::replay(files, rules_dir, print, format == "json"); });

    caseflow::cli::add_demo_command(app, status);
    caseflow::cli::add_campaign_command(app, status);
    caseflow::cli::add_report_command(app, status);
    caseflow::cli::add_calendar_commands(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::RuntimeError& e) {  // a subcommand's own exit code
        return e.get_exit_code();
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;  // usage errors are invalid input
    }
    return status;
}
