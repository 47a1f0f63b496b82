// `caseflow demo`: loads the shipped rules and replays the example case
// histories, printing each timeline.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "caseflow/caseflow.hpp"
#include "cli/commands.hpp"

namespace caseflow::cli {

void add_demo_command(CLI::App& app, int& status) {
    auto* cmd = app.add_subcommand("demo", "Load rules/ and replay the example case histories, printing their timelines");
    static std::string rules_dir = "rules", histories = "examples/histories";
    cmd->add_option("--rules", rules_dir, "rule directory")->capture_default_str();
    cmd->add_option("--histories", histories, "directory of case history files")->capture_default_str();
    cmd->callback([&status] {
        std::vector<std::string> files;
        std::error_code ec;
        for (auto it = std::filesystem::recursive_directory_iterator(histories, ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file() && it->path().extension() == ".yaml") files.push_back(it->path().string());
        if (ec || files.empty()) {
            std::cerr << "no case histories under " << histories << " (run from the repository root)\n";
            status = 2;
            return;
        }
        std::sort(files.begin(), files.end());
        std::cout << "caseflow demo: " << files.size() << " case histories against " << rules_dir << "/\n\n";
        status = replay(files, rules_dir, true, false);
    });
}

}  // namespace caseflow::cli
