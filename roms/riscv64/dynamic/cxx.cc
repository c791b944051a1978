// Dynamically linked C++: libstdc++ and libgcc_s from the sysroot — iostream, std::string,
// std::vector, std::map, and exceptions thrown and caught across functions (unwinding
// through libgcc_s with the .eh_frame of several shared objects).
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const = 0;
};
struct Rect : Shape {
    double w, h;
    Rect(double w, double h) : w(w), h(h) {}
    double area() const override { return w * h; }
    std::string name() const override { return "rect"; }
};
struct Square : Rect {
    explicit Square(double s) : Rect(s, s) {}
    std::string name() const override { return "square"; }
};

static int destroyed = 0;
struct Guard {
    std::string tag;
    explicit Guard(std::string t) : tag(std::move(t)) {}
    ~Guard() { destroyed++; }
};

static int parse_positive(const std::string &s) {
    Guard g("parse " + s);
    std::size_t used = 0;
    int v = std::stoi(s, &used);  // throws std::invalid_argument on junk
    if (used != s.size()) throw std::runtime_error("trailing characters in '" + s + "'");
    if (v <= 0) throw std::out_of_range("not positive: " + s);
    return v;
}

static int deep(int n) {
    Guard g("deep");
    if (n == 0) throw 42;
    return deep(n - 1) + 1;
}

int main() {
    std::vector<std::string> inputs = {"12", "x7", "5z", "-3", "40"};
    int sum = 0;
    for (const auto &in : inputs) {
        try {
            sum += parse_positive(in);
            std::cout << "ok " << in << '\n';
        } catch (const std::invalid_argument &e) {
            std::cout << "invalid_argument for " << in << '\n';
        } catch (const std::out_of_range &e) {
            std::cout << "out_of_range: " << e.what() << '\n';
        } catch (const std::exception &e) {
            std::cout << "exception: " << e.what() << '\n';
        }
    }
    std::cout << "sum " << sum << ", guards destroyed " << destroyed << '\n';

    try {
        deep(10);
    } catch (int v) {
        std::cout << "caught int " << v << " after unwinding, guards destroyed " << destroyed << '\n';
    }

    std::map<std::string, int> counts;
    std::istringstream text("the quick brown fox jumps over the lazy dog the end");
    for (std::string w; text >> w;) counts[w]++;
    for (const auto &[w, n] : counts) std::cout << w << '=' << n << ' ';
    std::cout << '\n';

    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(std::make_unique<Rect>(2, 3.5));
    shapes.push_back(std::make_unique<Square>(4));
    shapes.push_back(std::make_unique<Rect>(1, 1));
    std::sort(shapes.begin(), shapes.end(), [](auto &a, auto &b) { return a->area() < b->area(); });
    for (auto &s : shapes) std::cout << s->name() << ' ' << s->area() << '\n';

    std::vector<int> v(20);
    for (int i = 0; i < 20; i++) v[i] = (i * 7919) % 23;
    std::sort(v.begin(), v.end());
    std::cout << "sorted:";
    for (int x : v) std::cout << ' ' << x;
    std::cout << std::endl;
    try {
        v.at(100);
    } catch (const std::out_of_range &) {
        std::cout << "vector::at threw out_of_range" << std::endl;
    }
    return sum == 52 ? 0 : 1;
}
