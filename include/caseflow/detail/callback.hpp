// An owning, move-only, type-erased callable: what the public headers would
// use std::function for.  Written here because <functional> costs a host
// translation unit about 0.4 s of compile time (issue 5's compile-time row)
// and the engine needs none of its copyability or target() machinery.  For
// the same reason it owns its target through a plain pointer (no
// unique_ptr / make_unique) and checks callability with a decltype instead of
// std::is_invocable_r: every distinct callable a host passes instantiates
// this template again, in the host's translation unit.
#pragma once

#include <type_traits>
#include <utility>

namespace caseflow::detail {

template <class Signature>
class callback;

template <class R, class... Args>
class callback<R(Args...)> {
public:
    callback() noexcept = default;
    callback(decltype(nullptr)) noexcept {}
    /// Any callable `f(args...)` whose result converts to R (any result for void).
    template <class F, class D = std::decay_t<F>, class = std::enable_if_t<!std::is_same_v<D, callback>>,
              class = decltype(static_cast<R>(std::declval<D&>()(std::declval<Args>()...)))>
    callback(F&& f) : impl_(new holder<D>(std::forward<F>(f))) {}

    callback(callback&& o) noexcept : impl_(o.impl_) { o.impl_ = nullptr; }
    callback& operator=(callback&& o) noexcept {
        if (this != &o) {
            delete impl_;
            impl_ = o.impl_;
            o.impl_ = nullptr;
        }
        return *this;
    }
    callback(const callback&) = delete;
    callback& operator=(const callback&) = delete;
    ~callback() { delete impl_; }

    explicit operator bool() const noexcept { return impl_ != nullptr; }
    R operator()(Args... args) const { return impl_->call(std::forward<Args>(args)...); }

private:
    struct base {
        virtual ~base() = default;
        virtual R call(Args... args) = 0;
    };
    template <class F>
    struct holder final : base {
        F f;
        template <class G>
        explicit holder(G&& g) : f(std::forward<G>(g)) {}
        R call(Args... args) override { return static_cast<R>(f(std::forward<Args>(args)...)); }
    };
    base* impl_ = nullptr;
};

}  // namespace caseflow::detail
