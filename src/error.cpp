#include "caseflow/error.hpp"

namespace caseflow {

std::string source_pos::str() const {
    std::string s = file.empty() ? std::string("<input>") : file;
    if (line > 0) {
        s += ':' + std::to_string(line);
        if (column > 0) s += ':' + std::to_string(column);
    }
    return s;
}

rule_error::rule_error(source_pos pos, const std::string& message)
    : error(pos.str() + ": " + message), pos_(std::move(pos)), message_(message) {}

namespace {
std::string join(const std::vector<rule_error>& errors) {
    std::string s;
    for (const auto& e : errors) {
        if (!s.empty()) s += '\n';
        s += e.what();
    }
    return s;
}
}  // namespace

rule_error::rule_error(const std::string& what, source_pos pos, std::string message)
    : error(what), pos_(std::move(pos)), message_(std::move(message)) {}

rule_errors::rule_errors(std::vector<rule_error> errors)
    : rule_error(join(errors), errors.empty() ? source_pos{} : errors.front().pos(),
                 errors.empty() ? std::string() : errors.front().message()),
      errors_(std::move(errors)) {}

}  // namespace caseflow
