// "Did you mean ...?" for rule diagnostics: the nearest candidate by edit
// distance, offered only when it is close enough to be a plausible typo.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caseflow::detail {

/// Levenshtein distance (small strings; rule names).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// ` (did you mean 'x'?)` for the closest candidate within a distance of
/// max(1, len/3) (ties: first in `candidates`), or "" when none is close.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

/// The `name` of every element, in order: the candidates of did_you_mean.
template <class T>
std::vector<std::string> names_of(const std::vector<T>& items) {
    std::vector<std::string> names;
    names.reserve(items.size());
    for (const auto& item : items) names.push_back(item.name);
    return names;
}

}  // namespace caseflow::detail
