// The RTC operations' data cannot borrow: it lives until the parent is unbound.
// expect: error\[E0478\]: lifetime bound not satisfied
struct Borrowing<'a>(&'a u32);

#[vtable]
impl rtc::Operations for Borrowing<'_> {
    fn read_time(&self, _parent: &Device<Bound>, _tm: &mut Time) -> Result {
        Ok(())
    }

    fn set_time(&self, _parent: &Device<Bound>, _tm: &Time) -> Result {
        Ok(())
    }
}
