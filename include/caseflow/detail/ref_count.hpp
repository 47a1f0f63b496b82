// Reference counting for the handles that share immutable loaded data
// (rule_set, calendar).  Intrusive rather than std::shared_ptr so that the
// public headers need no <memory>: every host translation unit would parse
// its ~9,000 lines (bench/compile_time.sh, issue 5's compile-time row).  Not
// part of the public closure: only the library's sources include it.
#pragma once

#include <atomic>
#include <cstddef>
#include <utility>

namespace caseflow::detail {

/// A base for the shared data; handles call retain() and release().
struct ref_counted {
    ref_counted() = default;
    ref_counted(const ref_counted&) = delete;
    ref_counted& operator=(const ref_counted&) = delete;
    // Relaxed increments and an acquire-release decrement, as shared_ptr
    // does: engines in several threads may share one rule set.
    mutable std::atomic<std::size_t> refs{0};
};

template <class T>
const T* retain(const T* p) noexcept {
    if (p) p->refs.fetch_add(1, std::memory_order_relaxed);
    return p;
}

template <class T>
void release(const T* p) noexcept {
    if (p && p->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete p;
}

// A handle's assignments, on its pointer member; both safe when `to` and
// `from` are the same handle.
template <class T>
void copy_assign(const T*& to, const T* from) noexcept {
    retain(from);  // first: `from` may be what `to` holds
    release(std::exchange(to, from));
}
template <class T>
void move_assign(const T*& to, const T*& from) noexcept {
    if (&to != &from) release(std::exchange(to, std::exchange(from, nullptr)));
}

}  // namespace caseflow::detail
