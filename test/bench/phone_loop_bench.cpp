// The ceiling for dedupe.normalize_phone: libphonenumber called directly in a C++ loop on
// the same numbers the SQL benchmark uses (one per line on stdin, region as argv[1]).
// Prints "<rows> <seconds> <rows/s>" for the median of argv[2] runs.
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const std::string region = argc > 1 ? argv[1] : "US";
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  std::vector<std::string> numbers;
  for (std::string line; std::getline(std::cin, line);) numbers.push_back(line);
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::vector<double> seconds;
  size_t formatted = 0;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    for (const std::string& raw : numbers) {
      PhoneNumber number;
      std::string e164;
      if (util.Parse(raw, region, &number) == PhoneNumberUtil::NO_PARSING_ERROR &&
          util.IsPossibleNumber(number)) {
        util.Format(number, PhoneNumberUtil::E164, &e164);
        formatted += e164.size() > 0;
      }
    }
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  std::printf("%zu %.3f %.0f\n", numbers.size(), median, numbers.size() / median);
  return formatted == 0 && !numbers.empty();
}
