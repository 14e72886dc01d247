// An interrupt handler cannot borrow: the line could fire after what it borrows is gone.
// expect: lifetime may not live long enough
struct Borrowing<'a>(&'a u32);

impl irq::Handler for Borrowing<'_> {
    fn handle(&self, _dev: &Device<Bound>) -> IrqReturn {
        IrqReturn::None
    }
}

fn misuse<'a>(
    request: kernel::irq::IrqRequest<'a>,
    value: &'a u32,
) -> impl PinInit<irq::Registration<Borrowing<'a>>, Error> + 'a {
    irq::Registration::new(request, irq::Flags::TRIGGER_NONE, NAME, Borrowing(value))
}
