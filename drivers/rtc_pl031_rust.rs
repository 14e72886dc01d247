// SPDX-License-Identifier: GPL-2.0

//! Driver for the ARM PrimeCell PL031 real-time clock and its ST variants.
//!
//! The ARM PL031 and the first ST variant count seconds since 1970 in a 32-bit register, so they
//! hold 1970-01-01 to 2106-02-07 06:28:15 UTC. The second ST variant keeps the date and time in
//! bit fields and the year in BCD, for years 0000 to 9999.
//!
//! Datasheet: ARM PrimeCell Real Time Clock (PL031) Technical Reference Manual.

use kernel::{
    amba, c_str,
    io::IoMem,
    irq::{self, IrqReturn},
    prelude::*,
    rtc::{self, Time, WakeAlarm},
    sync::Arc,
};

/// Data read register: the current time.
const RTC_DR: usize = 0x00;
/// Match register: the alarm time.
const RTC_MR: usize = 0x04;
/// Data load register: sets the time.
const RTC_LR: usize = 0x08;
/// Control register.
const RTC_CR: usize = 0x0c;
/// Interrupt mask set and clear register.
const RTC_IMSC: usize = 0x10;
/// Raw interrupt status register.
const RTC_RIS: usize = 0x14;
/// Masked interrupt status register.
const RTC_MIS: usize = 0x18;
/// Interrupt clear register.
const RTC_ICR: usize = 0x1c;
/// Year data read register (ST v2).
const RTC_YDR: usize = 0x30;
/// Year match register (ST v2).
const RTC_YMR: usize = 0x34;
/// Year data load register (ST v2).
const RTC_YLR: usize = 0x38;
/// The size of the register block the driver uses.
const REGS_SIZE: usize = 0x3c;

/// Counter enable.
const CR_EN: u32 = 1 << 0;
/// Clockwatch enable (ST variants).
const CR_CWEN: u32 = 1 << 26;
/// Alarm interrupt bit of IMSC, RIS, MIS and ICR.
const BIT_AI: u32 = 1 << 0;

/// ST v2 time register fields: (shift, mask after shifting).
const SEC: (u32, u32) = (0, 0x3f);
const MIN: (u32, u32) = (6, 0x3f);
const HOUR: (u32, u32) = (12, 0x1f);
const WDAY: (u32, u32) = (17, 0x7);
const MDAY: (u32, u32) = (20, 0x1f);
const MON: (u32, u32) = (25, 0xf);

const SECS_PER_DAY: u32 = 86400;

/// Register access, implemented by the MMIO region and by the KUnit fake register file.
trait Registers {
    fn read<const OFFSET: usize>(&self) -> u32;
    fn write<const OFFSET: usize>(&self, value: u32);
}

impl Registers for IoMem<REGS_SIZE> {
    fn read<const OFFSET: usize>(&self) -> u32 {
        self.read32::<OFFSET>()
    }

    fn write<const OFFSET: usize>(&self, value: u32) {
        self.write32::<OFFSET>(value)
    }
}

/// What differs between the ARM PL031 and the ST derivatives.
struct Variant {
    /// Enable with the clockwatch bit rather than the counter enable bit.
    clockwatch: bool,
    /// The reset value has a wrong weekday for 2000-01-01 that must be corrected.
    st_weekday: bool,
    /// Calendar registers with a BCD year (ST v2) instead of a seconds counter.
    calendar: bool,
    irq_flags: irq::Flags,
    range_min: i64,
    range_max: u64,
}

static ARM: Variant = Variant {
    clockwatch: false,
    st_weekday: false,
    calendar: false,
    irq_flags: irq::Flags::NONE,
    range_min: 0,
    range_max: u32::MAX as u64,
};

static ST_V1: Variant = Variant {
    clockwatch: true,
    st_weekday: true,
    calendar: false,
    irq_flags: irq::Flags::NONE,
    range_min: 0,
    range_max: u32::MAX as u64,
};

static ST_V2: Variant = Variant {
    clockwatch: true,
    st_weekday: true,
    calendar: true,
    // The line is shared with another block whose interrupt must not be suspended.
    irq_flags: irq::Flags::SHARED.union(irq::Flags::COND_SUSPEND),
    range_min: rtc::TIMESTAMP_BEGIN_0000,
    range_max: rtc::TIMESTAMP_END_9999,
};

/// Days from 1970-01-01 to `year`-`month`-`mday` (proleptic Gregorian, `month` 1 to 12).
///
/// 32-bit arithmetic throughout: 64-bit division is not available to Rust on 32-bit ARM, and
/// years 0 to 9999 keep the result within a few million days.
fn days_from_civil(year: i32, month: u32, mday: u32) -> i32 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = if year >= 0 { year } else { year - 399 } / 400;
    let year_of_era = (year - era * 400) as u32;
    let month_from_march = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_from_march + 2) / 5 + mday - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146097 + day_of_era as i32 - 719468
}

/// Returns whether `year` (full year, e.g. 2000) is a leap year.
fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Converts seconds since 1970, as held by the ARM PL031, to calendar time.
fn secs_to_time(secs: u32) -> Time {
    let days = secs / SECS_PER_DAY;
    let rem = secs % SECS_PER_DAY;

    // Civil from days, counting eras of 400 years from 0000-03-01; `days` < 49711 here.
    let z = days + 719468;
    let era = z / 146097;
    let day_of_era = z - era * 146097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let mday = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = (year_of_era + era * 400 + u32::from(month <= 2)) as i32;

    let mut tm = Time::default();
    tm.set_sec((rem % 60) as i32);
    tm.set_min((rem / 60 % 60) as i32);
    tm.set_hour((rem / 3600) as i32);
    tm.set_mday(mday as i32);
    tm.set_mon(month as i32 - 1);
    tm.set_year(year - 1900);
    // 1970-01-01 was a Thursday.
    tm.set_wday(((days + 4) % 7) as i32);
    // Counted from 1, as the RTC core's rtc_time64_to_tm() does, which the C driver uses here.
    tm.set_yday(days as i32 - days_from_civil(year, 1, 1) + 1);
    tm
}

/// Converts calendar time to seconds since 1970 for the ARM PL031.
///
/// Returns `ERANGE` outside 1970-01-01 to 2106-02-07 06:28:15, as the RTC core does for the
/// device's range, and `EINVAL` for a month outside 0 to 11.
fn time_to_secs(tm: &Time) -> Result<u32> {
    let month = u32::try_from(tm.mon() + 1).map_err(|_| EINVAL)?;
    let mday = u32::try_from(tm.mday()).map_err(|_| EINVAL)?;
    if !(1..=12).contains(&month) {
        return Err(EINVAL);
    }
    let days = i64::from(days_from_civil(tm.year() + 1900, month, mday));
    let secs = days * i64::from(SECS_PER_DAY)
        + i64::from(tm.hour()) * 3600
        + i64::from(tm.min()) * 60
        + i64::from(tm.sec());
    u32::try_from(secs).map_err(|_| ERANGE)
}

fn bin2bcd(value: u32) -> u32 {
    ((value / 10) << 4) | (value % 10)
}

fn bcd2bin(value: u32) -> u32 {
    (value >> 4) * 10 + (value & 0xf)
}

fn field(reg: u32, (shift, mask): (u32, u32)) -> u32 {
    (reg >> shift) & mask
}

/// Encodes calendar time as the ST v2 time register and BCD year register.
///
/// A weekday of -1 means "unknown" and is computed; other values outside 0 to 6 get `EINVAL`, as
/// the hardware cannot mask the weekday.
fn time_to_stv2(tm: &Time) -> Result<(u32, u32)> {
    let year = tm.year() + 1900;
    if !(0..=9999).contains(&year) {
        return Err(ERANGE);
    }
    let wday = match tm.wday() {
        -1 => {
            let month = u32::try_from(tm.mon() + 1).map_err(|_| EINVAL)?;
            let mday = u32::try_from(tm.mday()).map_err(|_| EINVAL)?;
            // 1970-01-01 was a Thursday.
            (days_from_civil(year, month, mday) + 4).rem_euclid(7)
        }
        wday @ 0..=6 => wday,
        _ => return Err(EINVAL),
    };
    let year = year as u32;
    let bcd_year = bin2bcd(year % 100) | (bin2bcd(year / 100) << 8);
    let fields = [
        (tm.mon() + 1, MON),
        (tm.mday(), MDAY),
        (wday + 1, WDAY),
        (tm.hour(), HOUR),
        (tm.min(), MIN),
        (tm.sec(), SEC),
    ];
    let mut reg = 0;
    for (value, (shift, mask)) in fields {
        let value = u32::try_from(value).map_err(|_| EINVAL)?;
        if value > mask {
            return Err(EINVAL);
        }
        reg |= value << shift;
    }
    Ok((reg, bcd_year))
}

/// Decodes the ST v2 time register and BCD year register.
fn stv2_to_time(reg: u32, bcd_year: u32) -> Time {
    let year = bcd2bin(bcd_year & 0xff) + bcd2bin((bcd_year >> 8) & 0xff) * 100;
    let mut tm = Time::default();
    tm.set_mon(field(reg, MON) as i32 - 1);
    tm.set_mday(field(reg, MDAY) as i32);
    tm.set_wday(field(reg, WDAY) as i32 - 1);
    tm.set_hour(field(reg, HOUR) as i32);
    tm.set_min(field(reg, MIN) as i32);
    tm.set_sec(field(reg, SEC) as i32);
    // Counted from 0, as rtc_year_days() does, which the C driver uses for this variant.
    let month = field(reg, MON).clamp(1, 12);
    let yday =
        days_from_civil(year as i32, month, field(reg, MDAY)) - days_from_civil(year as i32, 1, 1);
    tm.set_yday(yday);
    tm.set_year(year as i32 - 1900);
    tm
}

/// The PL031 hardware, over a register file.
struct Pl031<R> {
    regs: R,
    variant: &'static Variant,
}

impl<R: Registers> Pl031<R> {
    /// Starts the clock, and on ST variants corrects the reset weekday of 2000-01-01.
    fn enable(&self) {
        let cr = self.regs.read::<RTC_CR>();
        let enable = if self.variant.clockwatch {
            CR_CWEN
        } else {
            CR_EN
        };
        self.regs.write::<RTC_CR>(cr | enable);

        // The reset value says 2000-01-01 is a Sunday (weekday field 1); it was a Saturday (7).
        if self.variant.st_weekday && self.regs.read::<RTC_YDR>() == 0x2000 {
            let time = self.regs.read::<RTC_DR>();
            let date_mask = (MON.1 << MON.0) | (MDAY.1 << MDAY.0) | (WDAY.1 << WDAY.0);
            if time & date_mask == 0x0212_0000 {
                self.regs.write::<RTC_YLR>(0x2000);
                self.regs.write::<RTC_LR>(time | (7 << WDAY.0));
            }
        }
    }

    fn read_time(&self) -> Time {
        if self.variant.calendar {
            stv2_to_time(self.regs.read::<RTC_DR>(), self.regs.read::<RTC_YDR>())
        } else {
            secs_to_time(self.regs.read::<RTC_DR>())
        }
    }

    fn set_time(&self, tm: &Time) -> Result {
        if self.variant.calendar {
            let (time, bcd_year) = time_to_stv2(tm)?;
            self.regs.write::<RTC_YLR>(bcd_year);
            self.regs.write::<RTC_LR>(time);
        } else {
            self.regs.write::<RTC_LR>(time_to_secs(tm)?);
        }
        Ok(())
    }

    fn read_alarm(&self, alarm: &mut WakeAlarm) {
        let time = if self.variant.calendar {
            stv2_to_time(self.regs.read::<RTC_MR>(), self.regs.read::<RTC_YMR>())
        } else {
            secs_to_time(self.regs.read::<RTC_MR>())
        };
        alarm.set_time(time);
        alarm.set_pending(self.regs.read::<RTC_RIS>() & BIT_AI != 0);
        alarm.set_enabled(self.regs.read::<RTC_IMSC>() & BIT_AI != 0);
    }

    fn set_alarm(&self, alarm: &WakeAlarm) -> Result {
        if self.variant.calendar {
            let (time, bcd_year) = time_to_stv2(&alarm.time())?;
            self.regs.write::<RTC_YMR>(bcd_year);
            self.regs.write::<RTC_MR>(time);
        } else {
            self.regs.write::<RTC_MR>(time_to_secs(&alarm.time())?);
        }
        self.alarm_irq_enable(alarm.enabled());
        Ok(())
    }

    /// Clears a pending alarm interrupt, then masks or unmasks it.
    fn alarm_irq_enable(&self, enabled: bool) {
        self.regs.write::<RTC_ICR>(BIT_AI);
        let imsc = self.regs.read::<RTC_IMSC>();
        let imsc = if enabled {
            imsc | BIT_AI
        } else {
            imsc & !BIT_AI
        };
        self.regs.write::<RTC_IMSC>(imsc);
    }

    /// Acknowledges an alarm interrupt. Returns whether there was one.
    fn ack_alarm_irq(&self) -> bool {
        if self.regs.read::<RTC_MIS>() & BIT_AI == 0 {
            return false;
        }
        self.regs.write::<RTC_ICR>(BIT_AI);
        true
    }
}

/// What the RTC operations and the interrupt handler share.
struct State {
    hw: Pl031<IoMem<REGS_SIZE>>,
    rtc: rtc::Handle,
}

impl irq::Handler for State {
    fn handle_irq(&self) -> IrqReturn {
        if !self.hw.ack_alarm_irq() {
            return IrqReturn::None;
        }
        self.rtc.update_irq(1, rtc::Events::ALARM);
        IrqReturn::Handled
    }
}

struct Pl031Rtc;

#[vtable]
impl rtc::Operations for Pl031Rtc {
    type Data = State;

    fn read_time(data: &State, tm: &mut Time) -> Result {
        *tm = data.hw.read_time();
        Ok(())
    }

    fn set_time(data: &State, tm: &Time) -> Result {
        data.hw.set_time(tm)
    }

    fn read_alarm(data: &State, alarm: &mut WakeAlarm) -> Result {
        data.hw.read_alarm(alarm);
        Ok(())
    }

    fn set_alarm(data: &State, alarm: &WakeAlarm) -> Result {
        data.hw.set_alarm(alarm)
    }

    fn alarm_irq_enable(data: &State, enabled: bool) -> Result {
        data.hw.alarm_irq_enable(enabled);
        Ok(())
    }
}

/// Kept while the device is bound. Fields drop in order: the interrupt is freed before wakeup is
/// disabled, and both before the RTC device is unregistered (device managed, released later).
struct DriverData {
    _irq: Option<irq::Registration<State>>,
    _wakeup: irq::Wakeup,
}

struct Pl031Driver;

impl amba::Driver for Pl031Driver {
    type IdInfo = &'static Variant;
    type Data = KBox<DriverData>;

    const ID_TABLE: &'static [amba::DeviceId<Self::IdInfo>] = &[
        amba::DeviceId {
            id: 0x0004_1031,
            mask: 0x000f_ffff,
            info: &ARM,
        },
        amba::DeviceId {
            id: 0x0018_0031,
            mask: 0x00ff_ffff,
            info: &ST_V1,
        },
        amba::DeviceId {
            id: 0x0028_0031,
            mask: 0x00ff_ffff,
            info: &ST_V2,
        },
    ];

    fn probe(adev: &amba::Device, variant: &Self::IdInfo) -> Result<Self::Data> {
        let hw = Pl031 {
            regs: adev.ioremap_resource::<REGS_SIZE>()?,
            variant,
        };
        hw.enable();

        let irq = adev.irq(0);
        let wakeup = irq::Wakeup::new(adev.as_ref(), irq)?;

        let mut rtc = rtc::Device::<Pl031Rtc>::allocate(adev.as_ref())?;
        if irq.is_none() {
            rtc.clear_feature(rtc::Feature::Alarm);
        }
        rtc.set_range(variant.range_min, variant.range_max);

        let state = Arc::new(
            State {
                hw,
                rtc: rtc.handle(),
            },
            GFP_KERNEL,
        )?;
        rtc.register(&THIS_MODULE, state.clone())?;

        // Last: the handler gets a fully set up, registered device.
        let irq = irq
            .map(|irq| irq::Registration::new(irq, variant.irq_flags, c_str!("rtc-pl031"), state))
            .transpose()?;

        Ok(KBox::new(
            DriverData {
                _irq: irq,
                _wakeup: wakeup,
            },
            GFP_KERNEL,
        )?)
    }
}

kernel::module_amba_driver! {
    type: Pl031Driver,
    name: "rtc_pl031_rust",
    author: "PL031 Team",
    description: "ARM PrimeCell PL031 RTC driver, in Rust",
    license: "GPL",
}

#[cfg(CONFIG_KUNIT)]
mod tests {
    use super::*;
    use core::cell::Cell;
    use kernel::kunit::Test;

    const REG_COUNT: usize = REGS_SIZE / 4;

    /// A register file in memory that records the last value written to each register.
    struct FakeRegs {
        values: [Cell<u32>; REG_COUNT],
        written: [Cell<Option<u32>>; REG_COUNT],
    }

    impl FakeRegs {
        fn new() -> Self {
            Self {
                values: Default::default(),
                written: Default::default(),
            }
        }

        fn set(&self, offset: usize, value: u32) {
            self.values[offset / 4].set(value);
        }

        fn written(&self, offset: usize) -> Option<u32> {
            self.written[offset / 4].get()
        }
    }

    impl Registers for FakeRegs {
        fn read<const OFFSET: usize>(&self) -> u32 {
            self.values[OFFSET / 4].get()
        }

        fn write<const OFFSET: usize>(&self, value: u32) {
            self.values[OFFSET / 4].set(value);
            self.written[OFFSET / 4].set(Some(value));
        }
    }

    fn pl031(variant: &'static Variant) -> Pl031<FakeRegs> {
        Pl031 {
            regs: FakeRegs::new(),
            variant,
        }
    }

    fn date(year: i32, mon: i32, mday: i32, hour: i32, min: i32, sec: i32) -> Time {
        let mut tm = Time::default();
        tm.set_year(year - 1900);
        tm.set_mon(mon - 1);
        tm.set_mday(mday);
        tm.set_hour(hour);
        tm.set_min(min);
        tm.set_sec(sec);
        tm
    }

    /// Checks every field of `tm` against the RTC core's conversion of `secs`.
    fn expect_same_as_c(test: &Test, secs: u32, tm: &Time) -> bool {
        let c = Time::from_time64(i64::from(secs));
        let fields = [
            ("sec", tm.sec(), c.sec()),
            ("min", tm.min(), c.min()),
            ("hour", tm.hour(), c.hour()),
            ("mday", tm.mday(), c.mday()),
            ("mon", tm.mon(), c.mon()),
            ("year", tm.year(), c.year()),
            ("wday", tm.wday(), c.wday()),
            ("yday", tm.yday(), c.yday()),
        ];
        let mut ok = true;
        for (name, ours, theirs) in fields {
            if ours != theirs {
                test.fail(format_args!(
                    "{secs} s: {name} is {ours}, rtc_time64_to_tm says {theirs}"
                ));
                ok = false;
            }
        }
        ok
    }

    fn expect_round_trip(test: &Test, secs: u32, want: Time) {
        let tm = secs_to_time(secs);
        expect_same_as_c(test, secs, &tm);
        test.expect_eq(
            (
                tm.year(),
                tm.mon(),
                tm.mday(),
                tm.hour(),
                tm.min(),
                tm.sec(),
            ),
            (
                want.year(),
                want.mon(),
                want.mday(),
                want.hour(),
                want.min(),
                want.sec(),
            ),
            "decoded date",
        );
        test.expect_eq(time_to_secs(&want).ok(), Some(secs), "encoded seconds");
    }

    fn boundary_epoch(test: &Test) {
        expect_round_trip(test, 0, date(1970, 1, 1, 0, 0, 0));
    }

    fn boundary_2038_last_signed_second(test: &Test) {
        expect_round_trip(test, 0x7fff_ffff, date(2038, 1, 19, 3, 14, 7));
    }

    fn boundary_2038_first_unsigned_second(test: &Test) {
        expect_round_trip(test, 0x8000_0000, date(2038, 1, 19, 3, 14, 8));
    }

    fn boundary_2106_last_second(test: &Test) {
        expect_round_trip(test, u32::MAX, date(2106, 2, 7, 6, 28, 15));
    }

    fn boundary_leap_day_2000(test: &Test) {
        expect_round_trip(test, 951782400, date(2000, 2, 29, 0, 0, 0));
    }

    fn boundary_2100_is_not_leap(test: &Test) {
        expect_round_trip(test, 4107456000, date(2100, 2, 28, 0, 0, 0));
        expect_round_trip(test, 4107542400, date(2100, 3, 1, 0, 0, 0));
        test.expect(!is_leap(2100), "2100 is not a leap year");
    }

    fn set_time_rejects_beyond_u32_max(test: &Test) {
        let hw = pl031(&ARM);
        let result = hw.set_time(&date(2106, 2, 7, 6, 28, 16));
        test.expect_eq(
            result.err(),
            Some(ERANGE),
            "set_time one second after 2106-02-07 06:28:15",
        );
        test.expect_eq(hw.regs.written(RTC_LR), None, "LR untouched");
    }

    fn set_time_rejects_before_epoch(test: &Test) {
        let hw = pl031(&ARM);
        let result = hw.set_time(&date(1969, 12, 31, 23, 59, 59));
        test.expect_eq(
            result.err(),
            Some(ERANGE),
            "set_time one second before 1970",
        );
        test.expect_eq(hw.regs.written(RTC_LR), None, "LR untouched");
    }

    fn set_time_rejects_month_12(test: &Test) {
        let hw = pl031(&ARM);
        let mut tm = date(2030, 1, 1, 0, 0, 0);
        tm.set_mon(12);
        test.expect_eq(
            hw.set_time(&tm).err(),
            Some(EINVAL),
            "set_time with tm_mon 12",
        );
        test.expect_eq(hw.regs.written(RTC_LR), None, "LR untouched");
    }

    fn read_time_reads_dr(test: &Test) {
        let hw = pl031(&ARM);
        hw.regs.set(RTC_DR, 1893456000);
        let tm = hw.read_time();
        test.expect_eq(
            (tm.year(), tm.mon(), tm.mday(), tm.hour()),
            (130, 0, 1, 0),
            "2030-01-01 00:00 from DR",
        );
    }

    fn set_time_writes_lr(test: &Test) {
        let hw = pl031(&ARM);
        test.expect(
            hw.set_time(&date(2030, 1, 1, 0, 0, 0)).is_ok(),
            "set_time succeeds",
        );
        test.expect_eq(hw.regs.written(RTC_LR), Some(1893456000), "LR");
    }

    fn enable_sets_counter_enable(test: &Test) {
        let hw = pl031(&ARM);
        hw.regs.set(RTC_CR, 0x10);
        hw.enable();
        test.expect_eq(
            hw.regs.written(RTC_CR),
            Some(0x10 | CR_EN),
            "CR keeps bits and sets EN",
        );
    }

    fn enable_st_uses_clockwatch_and_fixes_weekday(test: &Test) {
        let hw = pl031(&ST_V2);
        hw.regs.set(RTC_YDR, 0x2000);
        // 2000-01-01 00:00:00 with the wrong reset weekday (Sunday).
        hw.regs.set(RTC_DR, 0x0212_0000);
        hw.enable();
        test.expect_eq(hw.regs.written(RTC_CR), Some(CR_CWEN), "CR sets CWEN");
        test.expect_eq(hw.regs.written(RTC_YLR), Some(0x2000), "YLR reloaded");
        test.expect_eq(
            hw.regs.written(RTC_LR),
            Some(0x021e_0000),
            "weekday set to Saturday",
        );
    }

    fn set_alarm_programs_mr_and_unmasks(test: &Test) {
        let hw = pl031(&ARM);
        let mut alarm = WakeAlarm::default();
        alarm.set_time(date(2030, 1, 1, 0, 0, 10));
        alarm.set_enabled(true);
        test.expect(hw.set_alarm(&alarm).is_ok(), "set_alarm succeeds");
        test.expect_eq(hw.regs.written(RTC_MR), Some(1893456010), "MR");
        test.expect_eq(
            hw.regs.written(RTC_ICR),
            Some(BIT_AI),
            "pending alarm cleared first",
        );
        test.expect_eq(hw.regs.written(RTC_IMSC), Some(BIT_AI), "alarm unmasked");
    }

    fn set_alarm_disabled_masks(test: &Test) {
        let hw = pl031(&ARM);
        hw.regs.set(RTC_IMSC, BIT_AI | 0x2);
        let mut alarm = WakeAlarm::default();
        alarm.set_time(date(2030, 1, 1, 0, 0, 10));
        test.expect(hw.set_alarm(&alarm).is_ok(), "set_alarm succeeds");
        test.expect_eq(
            hw.regs.written(RTC_IMSC),
            Some(0x2),
            "alarm bit masked, others kept",
        );
    }

    fn set_alarm_rejects_beyond_u32_max(test: &Test) {
        let hw = pl031(&ARM);
        let mut alarm = WakeAlarm::default();
        alarm.set_time(date(2106, 2, 7, 6, 28, 16));
        test.expect_eq(
            hw.set_alarm(&alarm).err(),
            Some(ERANGE),
            "set_alarm past the range",
        );
        test.expect_eq(hw.regs.written(RTC_MR), None, "MR untouched");
        test.expect_eq(hw.regs.written(RTC_IMSC), None, "IMSC untouched");
    }

    fn read_alarm_reports_enabled_and_pending(test: &Test) {
        let hw = pl031(&ARM);
        hw.regs.set(RTC_MR, 1893456010);
        hw.regs.set(RTC_IMSC, BIT_AI);
        hw.regs.set(RTC_RIS, BIT_AI);
        let mut alarm = WakeAlarm::default();
        hw.read_alarm(&mut alarm);
        test.expect(alarm.enabled(), "enabled from IMSC");
        test.expect(alarm.pending(), "pending from RIS");
        test.expect_eq(alarm.time().sec(), 10, "alarm seconds from MR");

        hw.regs.set(RTC_IMSC, 0);
        hw.regs.set(RTC_RIS, 0);
        hw.read_alarm(&mut alarm);
        test.expect(
            !alarm.enabled() && !alarm.pending(),
            "neither when IMSC and RIS are clear",
        );
    }

    fn irq_acks_alarm(test: &Test) {
        let hw = pl031(&ARM);
        hw.regs.set(RTC_MIS, BIT_AI);
        test.expect(hw.ack_alarm_irq(), "alarm interrupt recognised");
        test.expect_eq(hw.regs.written(RTC_ICR), Some(BIT_AI), "ICR written");
    }

    fn irq_ignores_other_sources(test: &Test) {
        let hw = pl031(&ARM);
        // Raw but masked: MIS is clear, so the interrupt is not ours (the line may be shared).
        hw.regs.set(RTC_RIS, BIT_AI);
        test.expect(!hw.ack_alarm_irq(), "no masked alarm, not handled");
        test.expect_eq(hw.regs.written(RTC_ICR), None, "ICR untouched");
    }

    fn stv2_bcd_layout(test: &Test) {
        let hw = pl031(&ST_V2);
        // 2024-03-15 12:34:56, a Friday.
        let mut tm = date(2024, 3, 15, 12, 34, 56);
        tm.set_wday(5);
        test.expect(hw.set_time(&tm).is_ok(), "set_time succeeds");
        let want = (3 << 25) | (15 << 20) | (6 << 17) | (12 << 12) | (34 << 6) | 56;
        test.expect_eq(hw.regs.written(RTC_LR), Some(want), "time register fields");
        test.expect_eq(hw.regs.written(RTC_YLR), Some(0x2024), "BCD year");

        hw.regs.set(RTC_DR, want);
        hw.regs.set(RTC_YDR, 0x2024);
        let back = hw.read_time();
        test.expect_eq(
            (
                back.year(),
                back.mon(),
                back.mday(),
                back.wday(),
                back.yday(),
            ),
            (124, 2, 15, 5, 74),
            "decoded year, month, day, weekday and day of year",
        );
        test.expect_eq(
            (back.hour(), back.min(), back.sec()),
            (12, 34, 56),
            "decoded time of day",
        );
    }

    fn stv2_computes_unknown_weekday(test: &Test) {
        let mut tm = date(2000, 1, 1, 0, 0, 0);
        tm.set_wday(-1);
        let encoded = time_to_stv2(&tm).map(|(reg, _)| field(reg, WDAY));
        // Saturday is 6, stored plus one.
        test.expect_eq(encoded.ok(), Some(7), "weekday of 2000-01-01");
    }

    fn stv2_rejects_bad_weekday(test: &Test) {
        let hw = pl031(&ST_V2);
        let mut tm = date(2024, 3, 15, 0, 0, 0);
        tm.set_wday(7);
        test.expect_eq(hw.set_time(&tm).err(), Some(EINVAL), "weekday 7");
        test.expect_eq(hw.regs.written(RTC_LR), None, "LR untouched");
    }

    fn stv2_years_0000_and_9999(test: &Test) {
        for (year, bcd) in [(0, 0x0000), (9999, 0x9999)] {
            let mut tm = date(year, 12, 31, 23, 59, 59);
            tm.set_wday(-1);
            let encoded = time_to_stv2(&tm);
            test.expect_eq(encoded.map(|(_, y)| y).ok(), Some(bcd), "BCD year");
            if let Ok((reg, bcd_year)) = encoded {
                test.expect_eq(stv2_to_time(reg, bcd_year).year(), year - 1900, "year back");
            }
        }
    }

    /// Our conversions against the RTC core's C `rtc_time64_to_tm()` and
    /// `rtc_tm_to_time64()`, over pseudo-random seconds across the whole 32-bit range.
    fn conversions_match_c_helpers(test: &Test) {
        let mut x: u32 = 0x2545_f491;
        for _ in 0..20000 {
            // xorshift32
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let tm = secs_to_time(x);
            if !expect_same_as_c(test, x, &tm) {
                return;
            }
            let c_secs = Time::from_time64(i64::from(x)).to_time64();
            if !test.expect_eq(
                time_to_secs(&tm).ok().map(i64::from),
                Some(c_secs),
                "seconds",
            ) {
                return;
            }
        }
    }

    kernel::kunit_suite!(
        rtc_pl031_rust,
        [
            boundary_epoch,
            boundary_2038_last_signed_second,
            boundary_2038_first_unsigned_second,
            boundary_2106_last_second,
            boundary_leap_day_2000,
            boundary_2100_is_not_leap,
            set_time_rejects_beyond_u32_max,
            set_time_rejects_before_epoch,
            set_time_rejects_month_12,
            read_time_reads_dr,
            set_time_writes_lr,
            enable_sets_counter_enable,
            enable_st_uses_clockwatch_and_fixes_weekday,
            set_alarm_programs_mr_and_unmasks,
            set_alarm_disabled_masks,
            set_alarm_rejects_beyond_u32_max,
            read_alarm_reports_enabled_and_pending,
            irq_acks_alarm,
            irq_ignores_other_sources,
            stv2_bcd_layout,
            stv2_computes_unknown_weekday,
            stv2_rejects_bad_weekday,
            stv2_years_0000_and_9999,
            conversions_match_c_helpers,
        ]
    );
}
