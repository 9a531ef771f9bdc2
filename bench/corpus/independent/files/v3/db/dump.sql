-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'deploy1@shop.test','$2b$10$3cUbXhPXMiXBRkj7ZcnbYBkRHLRB7fdY0si3UxOCR99IgX7LvPdgi',NULL);
INSERT INTO `users` VALUES (2,'www-data2@shop.test','$1$FLQxdQQl$YUcQtq8nsi4EaGLg7k4fVE',NULL);
INSERT INTO `users` VALUES (3,'tanaka3@shop.test','$2y$10$NNH6TDIJqWYMWwcnVMEkrmNxgusIVatoeDbCmob/LelJ7F3M2xOSz',NULL);
INSERT INTO `users` VALUES (4,'bob4@shop.test','$1$JF7NqNRJ$U1ugYa51Z0m/NxyfG7OYLJ',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','6972988ecf9be181c19bf982bcdb946786d8c665d97344701813b88e83db17f1');
