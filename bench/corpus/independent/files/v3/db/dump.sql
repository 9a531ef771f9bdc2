-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'www-data1@shop.test','$2a$10$wSOz5q2o4iP61t15KtBpZIWAwVT4WhFZoIFKF9Q26GZmQHNGfEwr7',NULL);
INSERT INTO `users` VALUES (2,'ops2@shop.test','$1$FnZP20aU$DVgGgJU6Sx04mTmgTFW8/0',NULL);
INSERT INTO `users` VALUES (3,'deploy3@shop.test','$2y$10$hk6PHlfttNMrTMA9G7wMdnU4KxBNj8OHSivk8YhnH6mBcx8o/TyIj',NULL);
INSERT INTO `users` VALUES (4,'tanaka4@shop.test','$1$cUdlYQWM$cuClXZEowd9SSjPdRwI9Yj',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','fc5e978ee1ebb5a17a3d4c8c03d8f3fbbe1b67b3091bf691275c6c243281a5ca');
