// caseflow's one exception hierarchy.  Everything that comes from a file
// carries its position so that a message reads `path:line:column: what`.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace caseflow {

/// A position in a source file; line and column are 1-based (0 = unknown).
struct source_pos {
    std::string file;
    int line = 0;
    int column = 0;

    /// `file:line:column`, or as much of it as is known.
    std::string str() const;
};

/// Base of every exception caseflow throws.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A mistake in a rule file (YAML syntax, unknown key, type error, ...).
/// what() is `file:line:column: message`.
class rule_error : public error {
public:
    rule_error(source_pos pos, const std::string& message);
    const source_pos& pos() const noexcept { return pos_; }
    /// The message without the position prefix.
    const std::string& message() const noexcept { return message_; }

protected:
    rule_error(const std::string& what, source_pos pos, std::string message);

private:
    source_pos pos_;
    std::string message_;
};

/// Several rule errors found in one load; what() lists them one per line.
class rule_errors : public rule_error {
public:
    explicit rule_errors(std::vector<rule_error> errors);
    const std::vector<rule_error>& errors() const noexcept { return errors_; }

private:
    std::vector<rule_error> errors_;
};

/// A case history file that cannot be read or replayed.
class history_error : public error {
public:
    using error::error;
};

/// A misuse of the engine API by the host (unknown case, time going back, ...).
class usage_error : public error {
public:
    using error::error;
};

/// A failure of a case store (SQLite, PostgreSQL).
class store_error : public error {
public:
    using error::error;
};

}  // namespace caseflow
