// A hit counter: every request increments a key in Redis; /health answers once Redis does.
import http from 'http';
import { createClient } from 'redis';

const redis = createClient({
  socket: { host: process.env.REDIS_HOST || 'redis', port: Number(process.env.REDIS_PORT || 6379) },
});
redis.on('error', (err) => console.error('redis:', err.message));

http
  .createServer(async (req, res) => {
    try {
      if (req.url === '/health') {
        await redis.ping();
        res.end('ok\n');
        return;
      }
      const hits = await redis.incr('hits');
      res.end(`This page has been viewed ${hits} times\n`);
    } catch (err) {
      res.statusCode = 503;
      res.end(`redis unavailable: ${err.message}\n`);
    }
  })
  .listen(5000, () => console.log('listening on 5000'));

redis.connect().catch((err) => console.error('redis:', err.message));
