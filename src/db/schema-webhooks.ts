// Webhook endpoints, deliveries and attempts live here (see src/webhooks/).
export {};
