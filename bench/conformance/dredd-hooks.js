const hooks = require('hooks');
hooks.beforeEach((transaction) => {
  transaction.request.headers.Authorization = `Bearer ${process.env.TETHER_TOKEN}`;
});
