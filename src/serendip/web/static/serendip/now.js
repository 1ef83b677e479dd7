// The "now / next" page follows the clock: reload it every minute.
setTimeout(() => location.reload(), 60000);
