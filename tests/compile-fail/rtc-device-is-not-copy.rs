// The RTC device handle is reference counted, not a raw pointer that can be copied around.
// expect: error\[E0382\]: use of moved value: `rtc`
fn misuse(rtc: ARef<rtc::Device>) -> (ARef<rtc::Device>, ARef<rtc::Device>) {
    (rtc, rtc)
}
